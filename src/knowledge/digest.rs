//! What a source document states, as data: every number, ratio and date it
//! contains, read by `factbot check --against SOURCE --write-digest` into
//! `knowledge/source-digest.toml`. With it `factbot check` proves on any
//! clone, without the source text, that every figure and date a fact
//! declares occurs in its source; CI re-reads the source and fails when the
//! digest no longer matches it.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::numbers::{self, DateMention, Mention, Mode};

/// The digest's file, beside `sources.toml`.
pub const FILE: &str = "source-digest.toml";

/// The mentions one source document makes.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    /// The id of the source in `sources.toml`.
    pub source: String,
    pub mentions: Vec<Mention>,
}

/// A mention's stable written form: numbers as Rust prints them, ratios
/// `a:b`, dates `YYYY-MM-DD` with `?` for a part the text leaves out and a
/// financial year as `YYYY-YY FY`.
fn key(m: &Mention) -> String {
    match m {
        Mention::Quantity(v) => format!("{v}"),
        Mention::Ratio(a, b) => format!("{a}:{b}"),
        Mention::Date(d) if d.fiscal => format!(
            "{}-{:02} FY",
            d.year.unwrap_or_default(),
            (d.year.unwrap_or_default() + 1) % 100
        ),
        Mention::Date(d) => {
            let part = |p: Option<i64>, width: usize| {
                p.map_or("?".to_string(), |v| format!("{v:0width$}"))
            };
            let mut s = part(d.year.map(i64::from), 4);
            if d.month.is_some() || d.day.is_some() {
                s.push('-');
                s.push_str(&part(d.month.map(i64::from), 2));
            }
            if d.day.is_some() {
                s.push('-');
                s.push_str(&part(d.day.map(i64::from), 2));
            }
            s
        }
    }
}

fn parse_date(s: &str) -> Option<DateMention> {
    if let Some(fy) = s.strip_suffix(" FY") {
        let year = fy.split('-').next()?.parse().ok()?;
        return Some(DateMention {
            year: Some(year),
            month: None,
            day: None,
            fiscal: true,
        });
    }
    let mut parts = s.split('-');
    let mut next = || -> Option<Option<u32>> {
        match parts.next() {
            None => Some(None),
            Some("?") => Some(None),
            Some(p) => p.parse().ok().map(Some),
        }
    };
    let (year, month, day) = (next()?, next()?, next()?);
    Some(DateMention {
        year: year.map(|y| y as i32),
        month: month.map(|m| m as u8),
        day: day.map(|d| d as u8),
        fiscal: false,
    })
}

impl Digest {
    /// Reads every mention in a source document's text.
    pub fn read(source: &str, text: &str) -> Digest {
        let mut seen = BTreeSet::new();
        let mut mentions = Vec::new();
        for found in numbers::mentions(text, Mode::Lenient) {
            if seen.insert(key(&found.mention)) {
                mentions.push(found.mention);
            }
        }
        mentions.sort_by_key(key);
        Digest {
            source: source.to_string(),
            mentions,
        }
    }

    /// Whether two digests record the same mentions.
    pub fn same_as(&self, other: &Digest) -> bool {
        let keys = |d: &Digest| d.mentions.iter().map(key).collect::<BTreeSet<_>>();
        self.source == other.source && keys(self) == keys(other)
    }

    /// The digest as a `source-digest.toml` section.
    pub fn to_toml(&self) -> String {
        let mut quantities = Vec::new();
        let mut ratios = Vec::new();
        let mut dates = Vec::new();
        for m in &self.mentions {
            match m {
                Mention::Quantity(_) => quantities.push(key(m)),
                Mention::Ratio(..) => ratios.push(format!("{:?}", key(m))),
                Mention::Date(_) => dates.push(format!("{:?}", key(m))),
            }
        }
        let list = |items: &[String]| {
            let mut out = String::from("[\n");
            for line in items.chunks(8) {
                let _ = writeln!(out, "  {},", line.join(", "));
            }
            out.push(']');
            out
        };
        format!(
            "[[digest]]\nsource = {:?}\nquantities = {}\nratios = {}\ndates = {}\n",
            self.source,
            list(&quantities),
            list(&ratios),
            list(&dates)
        )
    }
}

/// The whole file, as written by `--write-digest`.
pub fn file_text(digests: &[Digest]) -> String {
    let mut out = String::from(
        "# The numbers, ratios and dates each source document states, read from it by\n\
         # `factbot check --against SOURCE --write-digest`. `factbot check` verifies every\n\
         # declared figure and date against this list; do not edit it by hand.\n",
    );
    for d in digests {
        out.push('\n');
        out.push_str(&d.to_toml());
    }
    out
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDigest {
    pub source: String,
    #[serde(default)]
    pub quantities: Vec<f64>,
    #[serde(default)]
    pub ratios: Vec<String>,
    #[serde(default)]
    pub dates: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDigestFile {
    #[serde(default)]
    pub digest: Vec<RawDigest>,
}

impl RawDigest {
    /// The digest, or the first entry that cannot be read.
    pub fn resolve(self) -> Result<Digest, String> {
        let mut mentions: Vec<Mention> =
            self.quantities.into_iter().map(Mention::Quantity).collect();
        for r in &self.ratios {
            let ratio = r
                .split_once(':')
                .and_then(|(a, b)| Some(Mention::Ratio(a.parse().ok()?, b.parse().ok()?)));
            mentions.push(ratio.ok_or_else(|| format!("ratio {r:?} is not of the form \"2:1\""))?);
        }
        for d in &self.dates {
            let date = parse_date(d).ok_or_else(|| format!("date {d:?} cannot be read"))?;
            mentions.push(Mention::Date(date));
        }
        Ok(Digest {
            source: self.source,
            mentions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_file() {
        let text = "2015年11月成立，批出78 701个项目，涉及531亿元；比例为2:1，2026-27年度完成。每年4月开放。";
        let digest = Digest::read("src", text);
        let file: RawDigestFile =
            toml::from_str(&file_text(std::slice::from_ref(&digest))).unwrap();
        let back = file.digest.into_iter().next().unwrap().resolve().unwrap();
        assert!(back.same_as(&digest), "{back:?}\n{digest:?}");
        assert!(digest.mentions.contains(&Mention::Quantity(78701.0)));
        assert!(digest.mentions.contains(&Mention::Ratio(2, 1)));
    }
}
