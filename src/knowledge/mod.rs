//! The curated knowledge: sources, topics, facts, milestones and intents,
//! loaded from TOML (embedded at build time, or a curator's working copy)
//! and checked before anything may use it.

pub mod check;
mod date;
pub mod digest;
mod fact;
mod figure;
pub mod lexicon;
mod problem;
mod raw;
mod text;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

pub use date::{days_in_month, Apart, BadDate, DateSpec, Milestone, Precision, Status};
pub use digest::Digest;
pub use fact::{Fact, Intent, Origin, Section, Source, Topic};
pub use figure::{Approx, Figure, FigureValue};
pub use lexicon::{Attribute, Besides, Concept, Event, Lexicon, Qualifier, Whether};
pub use problem::{KnowledgeError, Problem};
pub use text::Text;

use raw::{RawFact, RawFactFile, RawIntentsFile, RawSourcesFile, RawText, RawTopic};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_knowledge.rs"));
}

/// The files a knowledge base is read from: (path relative to the knowledge
/// folder, contents).
pub type KnowledgeFiles = Vec<(String, String)>;

/// The knowledge compiled into this binary.
pub fn embedded_files() -> KnowledgeFiles {
    embedded::FILES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect()
}

/// Whether a file is knowledge: `.toml`, in any case.
pub fn is_toml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// Reads every `.toml` file under `dir`, in a stable order. A file that
/// cannot be read is named; a folder reached twice (a symbolic link back up
/// the tree) is reported once and not entered again.
pub fn read_dir(dir: &Path) -> Result<KnowledgeFiles, KnowledgeError> {
    fn walk(
        root: &Path,
        dir: &Path,
        seen: &mut Vec<PathBuf>,
        out: &mut KnowledgeFiles,
    ) -> Result<(), KnowledgeError> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |error| KnowledgeError::Io { path, error }
        };
        let canonical = dir.canonicalize().map_err(io(dir))?;
        if seen.contains(&canonical) {
            return Err(KnowledgeError::Loop {
                path: dir.display().to_string(),
            });
        }
        seen.push(canonical);
        let mut paths: Vec<_> = fs::read_dir(dir)
            .map_err(io(dir))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io(dir))?;
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(root, &path, seen, out)?;
            } else if is_toml(&path) {
                let name = path.strip_prefix(root).unwrap_or(&path);
                let name = name.to_string_lossy().replace('\\', "/");
                let bytes = fs::read(&path).map_err(io(&path))?;
                let text = String::from_utf8(bytes).map_err(|_| KnowledgeError::NotText {
                    path: path.display().to_string(),
                })?;
                out.push((name, text));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut Vec::new(), &mut files)?;
    Ok(files)
}

/// A checked knowledge base. Only `Knowledge::load` makes one, so holding
/// one means every check passed.
#[derive(Debug, Clone)]
pub struct Knowledge {
    pub sources: Vec<Source>,
    pub topics: Vec<Topic>,
    pub facts: Vec<Fact>,
    pub intents: Vec<Intent>,
    /// What each source states, from `source-digest.toml`, when present.
    pub digests: Vec<Digest>,
    /// How people ask: the folder's `lexicon.toml`, or the built-in one.
    pub lexicon: Lexicon,
    facts_by_id: HashMap<String, usize>,
    topics_by_id: HashMap<String, usize>,
    /// A hash of the files it was loaded from (see `version`).
    version: String,
}

/// The version of knowledge files: an FNV-1a hash of their names and
/// contents in name order, the same `build.rs` gives the built-in files.
pub fn version_of(files: &KnowledgeFiles) -> String {
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, text) in sorted {
        for byte in name.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:012x}", hash >> 16)
}

impl Knowledge {
    /// Parses and checks; refuses knowledge with any problem.
    pub fn load(files: &KnowledgeFiles) -> Result<Knowledge, KnowledgeError> {
        let (mut knowledge, problems) = Knowledge::parse(files);
        if problems.is_empty() {
            knowledge.version = version_of(files);
            Ok(knowledge)
        } else {
            Err(KnowledgeError::Invalid(problems))
        }
    }

    /// The embedded knowledge, or the folder a curator points at.
    pub fn load_from(dir: Option<&Path>) -> Result<Knowledge, KnowledgeError> {
        match dir {
            Some(dir) => Knowledge::load(&read_dir(dir)?),
            None => Knowledge::load(&embedded_files()),
        }
    }

    /// Parses everything that parses and checks it, returning what was read
    /// alongside every problem, for `factbot check`.
    pub fn parse(files: &KnowledgeFiles) -> (Knowledge, Vec<Problem>) {
        let mut builder = Builder::default();
        for (name, text) in files {
            builder.file(name, text);
        }
        if !files
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("sources.toml"))
        {
            builder.problem(
                "sources.toml",
                "",
                "the file is missing: every fact needs a source",
            );
        }
        if builder.lexicon.is_none() {
            let built_in = embedded::FILES
                .iter()
                .find(|(name, _)| *name == lexicon::FILE)
                .map(|(_, text)| Lexicon::parse(lexicon::FILE, text).0);
            builder.lexicon = Some(built_in.unwrap_or_default());
        }
        let Builder {
            mut problems,
            sources,
            topics,
            facts,
            intents,
            digests,
            lexicon,
        } = builder;
        let mut knowledge = Knowledge::assemble(sources, topics, facts, intents, digests);
        knowledge.lexicon = lexicon.unwrap_or_default();
        problems.extend(check::check(&knowledge));
        (knowledge, problems)
    }

    fn assemble(
        sources: Vec<Source>,
        topics: Vec<Topic>,
        facts: Vec<Fact>,
        intents: Vec<Intent>,
        digests: Vec<Digest>,
    ) -> Knowledge {
        let index = |ids: Vec<&String>| -> HashMap<String, usize> {
            let mut map = HashMap::new();
            for (i, id) in ids.into_iter().enumerate() {
                map.entry(id.clone()).or_insert(i);
            }
            map
        };
        Knowledge {
            facts_by_id: index(facts.iter().map(|f| &f.id).collect()),
            topics_by_id: index(topics.iter().map(|t| &t.id).collect()),
            sources,
            topics,
            facts,
            intents,
            digests,
            lexicon: Lexicon::default(),
            version: String::new(),
        }
    }

    /// A hash of the files this knowledge was loaded from: what `--version`,
    /// the reload log and `/metrics` call the knowledge version.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.fact_index(id).map(|i| &self.facts[i])
    }

    /// Where the fact of an id is in `facts`.
    pub fn fact_index(&self, id: &str) -> Option<usize> {
        self.facts_by_id.get(id).copied()
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics_by_id.get(id).map(|&i| &self.topics[i])
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// What the source `id` states, if its digest is shipped.
    pub fn digest(&self, id: &str) -> Option<&Digest> {
        self.digests.iter().find(|d| d.source == id)
    }

    pub fn intent(&self, id: &str) -> Option<&Intent> {
        self.intents.iter().find(|i| i.id == id)
    }

    pub fn facts_of<'a>(&'a self, topic: &'a str) -> impl Iterator<Item = &'a Fact> + 'a {
        self.facts.iter().filter(move |f| f.topic == topic)
    }

    /// Every fact that carries a milestone, in the knowledge's order.
    pub fn milestones(&self) -> impl Iterator<Item = (&Fact, &Milestone)> {
        self.facts
            .iter()
            .filter_map(|f| f.milestone.as_ref().map(|m| (f, m)))
    }

    /// The whole knowledge as one JSON document, for tooling.
    pub fn to_json(&self) -> serde_json::Value {
        let milestones: Vec<_> = self
            .milestones()
            .map(|(fact, m)| {
                serde_json::json!({
                    "fact": fact.id,
                    "date": m.date,
                    "precision": m.precision,
                    "status": m.status,
                    "text": fact.text,
                })
            })
            .collect();
        serde_json::json!({
            "sources": self.sources,
            "topics": self.topics,
            "facts": self.facts,
            "intents": self.intents,
            "milestones": milestones,
        })
    }
}

/// Collects entries from files, and problems from whatever does not parse.
#[derive(Default)]
struct Builder {
    problems: Vec<Problem>,
    sources: Vec<Source>,
    topics: Vec<Topic>,
    facts: Vec<Fact>,
    intents: Vec<Intent>,
    digests: Vec<Digest>,
    lexicon: Option<Lexicon>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Builder {
    fn problem(&mut self, place: &str, entry: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            place: place.to_string(),
            entry: entry.to_string(),
            message: message.into(),
        });
    }

    fn parse_toml<T: DeserializeOwned>(&mut self, name: &str, text: &str) -> Option<T> {
        match toml::from_str(text) {
            Ok(value) => Some(value),
            Err(e) => {
                let place = match e.span() {
                    Some(span) => format!("{name}:{}", line_of(text, span.start)),
                    None => name.to_string(),
                };
                let message = format!(
                    "{} (fix the TOML syntax or the key named here)",
                    e.message().trim()
                );
                self.problem(&place, "", message);
                None
            }
        }
    }

    fn file(&mut self, name: &str, text: &str) {
        let origin = |span: std::ops::Range<usize>| Origin {
            file: format!("knowledge/{name}"),
            line: line_of(text, span.start),
        };
        match name {
            _ if name.eq_ignore_ascii_case("sources.toml") => {
                let Some(file) = self.parse_toml::<RawSourcesFile>(name, text) else {
                    return;
                };
                for raw in file.source {
                    let origin = origin(raw.id.span());
                    let id = raw.id.into_inner();
                    let entry = format!("source {id}");
                    let title = self.text(&origin, &entry, "title", Some(raw.title));
                    let publisher = self.text(&origin, &entry, "publisher", Some(raw.publisher));
                    let sections = raw
                        .sections
                        .into_iter()
                        .map(|s| Section {
                            title: self.text(
                                &origin,
                                &format!("{entry} section {}", s.id),
                                "title",
                                Some(s.title),
                            ),
                            id: s.id,
                        })
                        .collect();
                    let url = raw.url.map(|url| self.urls(&origin, &entry, url));
                    self.sources.push(Source {
                        id,
                        title,
                        publisher,
                        edition: raw.edition,
                        edition_date: raw.edition_date,
                        url,
                        sections,
                        origin,
                    });
                }
            }
            _ if name.eq_ignore_ascii_case("intents.toml") => {
                let Some(file) = self.parse_toml::<RawIntentsFile>(name, text) else {
                    return;
                };
                for raw in file.intent {
                    let origin = origin(raw.id.span());
                    let id = raw.id.into_inner();
                    let reply = self.text(&origin, &format!("intent {id}"), "reply", raw.reply);
                    self.intents.push(Intent {
                        id,
                        phrases: raw.phrases,
                        reply,
                        origin,
                    });
                }
            }
            _ if name.eq_ignore_ascii_case(lexicon::FILE) => {
                let (lexicon, problems) = Lexicon::parse(&format!("knowledge/{name}"), text);
                self.problems.extend(problems);
                self.lexicon = Some(lexicon);
            }
            _ if name.eq_ignore_ascii_case(digest::FILE) => {
                let Some(file) = self.parse_toml::<digest::RawDigestFile>(name, text) else {
                    return;
                };
                for raw in file.digest {
                    let source = raw.source.clone();
                    match raw.resolve() {
                        Ok(d) => self.digests.push(d),
                        Err(why) => self.problem(
                            &format!("knowledge/{name}"),
                            &format!("digest {source}"),
                            format!("{why}: write the digest again with `factbot check --against SOURCE --write-digest`"),
                        ),
                    }
                }
            }
            _ if name.starts_with("facts/") => {
                let Some(file) = self.parse_toml::<RawFactFile>(name, text) else {
                    return;
                };
                if file.topic.is_empty() && file.fact.is_empty() {
                    return self.problem(
                        &format!("knowledge/{name}"),
                        "",
                        "has no [[topic]] or [[fact]]: add its entries, or delete the file if they moved",
                    );
                }
                for raw in file.topic {
                    let origin = origin(raw.id.span());
                    self.topic(raw, origin);
                }
                for raw in file.fact {
                    let origin = origin(raw.id.span());
                    self.fact(raw, origin, file.source.as_deref(), file.section.as_deref());
                }
            }
            _ => self.problem(
                &format!("knowledge/{name}"),
                "",
                "unexpected file: knowledge holds sources.toml, intents.toml, lexicon.toml, source-digest.toml and facts/*.toml",
            ),
        }
    }

    /// Resolves a three-language text; zh-Hant is converted from zh-Hans
    /// unless written by hand.
    fn text(&mut self, origin: &Origin, entry: &str, key: &str, raw: Option<RawText>) -> Text {
        let place = origin.to_string();
        let Some(raw) = raw else {
            self.problem(
                &place,
                entry,
                format!("has no `{key}`: add {key} = {{ en = \"…\", zh-Hans = \"…\" }}"),
            );
            return Text {
                en: String::new(),
                zh_hans: String::new(),
                zh_hant: String::new(),
                hant_written: false,
            };
        };
        let mut present =
            |value: Option<String>, lang: &str| match value.filter(|v| !v.trim().is_empty()) {
                Some(v) => v,
                None => {
                    self.problem(
                        &place,
                        entry,
                        format!("`{key}` has no {lang} text: add {lang} = \"…\" to it"),
                    );
                    String::new()
                }
            };
        let en = present(raw.en, "en");
        let zh_hans = present(raw.zh_hans, "zh-Hans");
        let hant_written = raw.zh_hant.is_some();
        let zh_hant = raw
            .zh_hant
            .unwrap_or_else(|| crate::script::to_traditional_hk(&zh_hans));
        Text {
            en,
            zh_hans,
            zh_hant,
            hant_written,
        }
    }

    /// A source's addresses: each language's page, written out.
    fn urls(&mut self, origin: &Origin, entry: &str, raw: RawText) -> Text {
        let mut url = |value: Option<String>, lang: &str| {
            value.filter(|v| !v.trim().is_empty()).unwrap_or_else(|| {
                self.problem(
                    &origin.to_string(),
                    entry,
                    format!("`url` has no {lang} address: give the page in each language (en, zh-Hant, zh-Hans)"),
                );
                String::new()
            })
        };
        Text {
            en: url(raw.en, "en"),
            zh_hant: url(raw.zh_hant, "zh-Hant"),
            zh_hans: url(raw.zh_hans, "zh-Hans"),
            hant_written: true,
        }
    }

    fn topic(&mut self, raw: RawTopic, origin: Origin) {
        let id = raw.id.into_inner();
        let entry = format!("topic {id}");
        let name = self.text(&origin, &entry, "name", raw.name);
        let summary = self.text(&origin, &entry, "summary", raw.summary);
        self.topics.push(Topic {
            id,
            name,
            summary,
            aliases: raw.aliases,
            descriptions: raw.descriptions,
            examples: raw.examples,
            within: raw.within,
            origin,
        });
    }

    fn fact(&mut self, raw: RawFact, origin: Origin, source: Option<&str>, section: Option<&str>) {
        let id = raw.id.into_inner();
        let entry = format!("fact {id}");
        let place = origin.to_string();
        let title = self.text(&origin, &entry, "title", raw.title);
        let text = self.text(&origin, &entry, "text", raw.text);
        let mut inherit = |own: Option<String>, file: Option<&str>, key: &str| {
            own.or(file.map(str::to_string)).unwrap_or_else(|| {
                self.problem(
                    &place,
                    &entry,
                    format!("has no `{key}`: set it on the fact or at the top of the file"),
                );
                String::new()
            })
        };
        let source = inherit(raw.source, source, "source");
        let section = inherit(raw.section, section, "section");
        let topic = raw.topic.unwrap_or_else(|| {
            self.problem(
                &place,
                &entry,
                "has no `topic`: name the topic it belongs to",
            );
            String::new()
        });
        let figures = raw
            .figures
            .into_iter()
            .filter_map(|f| {
                let value = match (f.value, f.ratio.as_deref().map(parse_ratio)) {
                    (Some(v), None) => FigureValue::Number(v),
                    (None, Some(Some((a, b)))) => FigureValue::Ratio(a, b),
                    (None, Some(None)) => {
                        self.problem(
                            &place,
                            &entry,
                            format!(
                                "ratio {:?} is not of the form \"2:1\"",
                                f.ratio.unwrap_or_default()
                            ),
                        );
                        return None;
                    }
                    _ => {
                        self.problem(
                            &place,
                            &entry,
                            format!(
                                "a figure with unit {:?} needs exactly one of `value` and `ratio`",
                                f.unit
                            ),
                        );
                        return None;
                    }
                };
                let figure = Figure {
                    value,
                    unit: f.unit,
                    as_of: f.as_of,
                    approx: f.approx,
                    listed: f.listed,
                };
                if figure.listed
                    && !matches!(figure.answers(), Attribute::Count | Attribute::Users)
                {
                    self.problem(
                        &place,
                        &entry,
                        format!(
                            "`listed` is for a count of things the text names, not a figure in {:?}: remove it",
                            figure.unit
                        ),
                    );
                }
                Some(figure)
            })
            .collect::<Vec<_>>();
        let milestone = raw.milestone.map(|m| Milestone {
            precision: m
                .precision
                .unwrap_or_else(|| Precision::implied_by(&m.date)),
            date: m.date,
            status: m.status,
            event: m.event,
        });
        let lists: Vec<String> = raw
            .lists
            .into_iter()
            .filter(|things| {
                let blank = things.trim().is_empty();
                if blank {
                    self.problem(
                        &place,
                        &entry,
                        "an entry of `lists` is empty: name the things the text lists (\"technology areas\") or remove it",
                    );
                }
                !blank
            })
            .collect();
        let mut asks = raw.asks;
        if !lists.is_empty() && !asks.contains(&Attribute::Count) {
            asks.push(Attribute::Count);
        }
        for ask in figures
            .iter()
            .map(Figure::answers)
            .chain(milestone.as_ref().map(|_| Attribute::When))
        {
            if !asks.contains(&ask) {
                asks.push(ask);
            }
        }
        self.facts.push(Fact {
            id,
            topic,
            source,
            section,
            title,
            text,
            aliases: raw.aliases,
            descriptions: raw.descriptions,
            keywords: raw.keywords,
            examples: raw.examples,
            figures,
            milestone,
            asks,
            number_names: raw.number_names,
            adds_to: raw.adds_to,
            lists,
            origin,
        });
    }
}

fn parse_ratio(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once(':')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}
