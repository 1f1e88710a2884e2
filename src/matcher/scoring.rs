//! What each fact can answer, derived once from its figures, milestone and
//! words (curators may add to it with `asks` and a milestone's `event`), and
//! how well a question's frame fits it.

use serde::Serialize;

use crate::frame::{Cue, Frame, FrameReader, STATED_FIGURE_MIN};
use crate::knowledge::{Attribute, Event, Fact, FigureValue, Qualifier, Status};
use crate::normalize::Normalizer;
use crate::numbers::{self, Mention, Mode};

use super::features::Vocabulary;

/// What a fact answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactFrame {
    pub attributes: Vec<Attribute>,
    /// What its counts count: the concepts their units name.
    pub counts: Vec<String>,
    /// The words of its count units, stemmed ("research centres": research, centr).
    pub unit_words: Vec<String>,
    /// Its counts are of kinds of things ("over 20 types"), not of things.
    pub counts_kinds: bool,
    pub events: Vec<Event>,
    /// Years its figures and dates refer to.
    pub years: Vec<i32>,
    /// Years its figures are as of, where it says.
    pub figure_years: Vec<i32>,
    /// Months its figures are as of, where it says, with their year.
    pub figure_months: Vec<(i32, u8)>,
    /// The month of what it dates, with its year, where it says.
    pub dated_month: Option<(i32, u8)>,
    pub ordinals: Vec<u8>,
    /// The batches and editions its title names: what its figures and
    /// date are of ("Phase 1's remaining land", whose text also speaks of
    /// planning phase 2). Without them, those are all it speaks of.
    pub title_ordinals: Vec<u8>,
    /// Its ordinals with what they number, where its words say.
    pub numbered: Vec<(u8, usize)>,
    /// It gives a figure for each one, or a maximum.
    pub per_unit: bool,
    /// It gives a yearly or monthly figure.
    pub per_period: bool,
    /// It is of something planned, so its figures may be ones to come.
    pub planned: bool,
    /// Its figures, for telling a breakdown (several different figures of
    /// one thing) from a single total.
    pub figures: Vec<FigureFrame>,
    /// The parts of Hong Kong and its institutions its text names
    /// (lexicon concepts marked `narrows`), read when its text is indexed.
    pub parts: Vec<String>,
    /// The fields of technology its text names (concepts marked `field`).
    pub fields: Vec<String>,
    /// The year its topic is dated by, when all its milestones fall in
    /// one: a year that names which one ("the 2022 blueprint"), not the
    /// period of a figure. (The InnoParks, whose buildings opened in
    /// several years, are dated by none of them.)
    pub topic_dated: Option<i32>,
    /// The events its topic's facts date, with their year and the kinds of
    /// figure the dating fact gives.
    pub topic_dates: Vec<SubjectDate>,
    /// Its sum was added to a first one (`adds_to`): what came after the
    /// subject began, not what it began with.
    pub adds_to_first: bool,
}

/// An event a topic is dated by: iAM Smart launched in 2020.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectDate {
    pub event: Event,
    pub year: i32,
    pub figures: Vec<Attribute>,
}

/// The parts a question names (lexicon concepts marked `narrows`): places
/// and single universities; and the fields of technology (marked `field`).
#[derive(Debug, Default)]
pub struct Places<'q> {
    /// Named on their own: "how many hotspots in Sham Shui Po".
    pub narrowing: Vec<&'q str>,
    /// Within a subject's name: "the Hong Kong-Shenzhen I&T Park".
    pub named: Vec<&'q str>,
    /// Fields of technology named on their own: "how much went to biotech".
    pub fields: Vec<&'q str>,
}

impl<'q> Places<'q> {
    /// Whether the question names any place or part at all.
    fn names_any(&self) -> bool {
        !(self.narrowing.is_empty() && self.named.is_empty())
    }

    /// The same, with `parts` named in a subject's name read as narrowing.
    pub fn narrowed_to(&self, parts: &[&'q str]) -> Places<'q> {
        Places {
            narrowing: self.narrowing.iter().chain(parts).copied().collect(),
            named: self
                .named
                .iter()
                .filter(|c| !parts.contains(c))
                .copied()
                .collect(),
            fields: self.fields.clone(),
        }
    }
}

/// What one figure gives.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureFrame {
    pub attribute: Attribute,
    pub value: FigureValue,
    /// The concepts and stemmed words of its unit.
    pub concepts: Vec<String>,
    pub words: Vec<String>,
    /// The fact names the things it counts.
    pub listed: bool,
    /// It is a limit ("up to 3 projects"), not how many or how much there is.
    pub limit: bool,
    /// It counts a part of a larger count the fact gives: "R&D projects"
    /// of its projects, unicorns of its companies.
    pub part: bool,
    /// It is as of a date: a running total, not a scheme's size.
    pub dated: bool,
}

impl FigureFrame {
    /// The question states this figure.
    pub fn stated_in(&self, q: &Frame) -> bool {
        matches!(self.value, FigureValue::Number(v) if q.states(v))
    }

    /// The question states this figure, and it is large enough to single
    /// out what gives it (`STATED_FIGURE_MIN`).
    pub fn singled_out_in(&self, q: &Frame) -> bool {
        matches!(self.value, FigureValue::Number(v) if v >= STATED_FIGURE_MIN) && self.stated_in(q)
    }
}

impl FactFrame {
    pub fn of(
        fact: &Fact,
        reader: &FrameReader,
        vocabulary: &Vocabulary,
        normalizer: &Normalizer,
    ) -> FactFrame {
        let mut frame = FactFrame {
            attributes: fact.asks.clone(),
            adds_to_first: fact.adds_to.is_some(),
            ..FactFrame::default()
        };
        for figure in &fact.figures {
            let attribute = figure.answers();
            frame.attributes.push(attribute);
            let unit = normalizer.normalize(&figure.unit);
            let concepts: Vec<String> = vocabulary
                .concepts(&unit)
                .into_iter()
                .map(str::to_string)
                .collect();
            if matches!(attribute, Attribute::Count | Attribute::Users) {
                frame.counts_kinds |= concepts.iter().any(|c| vocabulary.is_kinds(c));
                frame.counts.extend(concepts.iter().cloned());
                frame.unit_words.extend(unit.words.iter().cloned());
            }
            let limit = figure.approx == Some(crate::knowledge::Approx::UpTo);
            frame.figures.push(FigureFrame {
                attribute,
                value: figure.value,
                concepts,
                words: unit.words,
                listed: figure.listed,
                limit,
                part: false,
                dated: figure.as_of.is_some(),
            });
            if attribute == Attribute::Users {
                frame.attributes.push(Attribute::Count);
            }
            if limit {
                frame.per_unit = true;
            }
            // A floor ("at least 100 teams") is a commitment still to be
            // met: what the scheme is meant to reach.
            if figure.approx == Some(crate::knowledge::Approx::AtLeast) {
                frame.planned = true;
            }
            if let Some(as_of) = figure.as_of {
                frame.years.push(as_of.year);
                frame.figure_years.push(as_of.year);
                if let Some(month) = as_of.month {
                    frame.figure_months.push((as_of.year, month));
                }
            }
        }
        // Things the text lists with no number are counted by the list.
        for things in &fact.lists {
            let things = normalizer.normalize(things);
            frame
                .counts
                .extend(vocabulary.concepts(&things).into_iter().map(str::to_string));
        }
        if let Some(m) = &fact.milestone {
            frame.planned |= m.status == Status::Planned;
            frame.attributes.push(Attribute::When);
            frame.years.push(m.date.year);
            frame.dated_month = m.date.month.map(|month| (m.date.year, month));
            if m.date.fiscal {
                frame.years.push(m.date.year + 1);
            }
            frame.events.extend(m.event);
        }
        // A title set in 《》 is a name the fact gives: what the agreement
        // or the guideline is called.
        if fact.text.zh_hans.contains('《') && !frame.attributes.contains(&Attribute::Name) {
            frame.attributes.push(Attribute::Name);
        }
        // The words say which event a date is, which batch a figure is of,
        // and whether it is per project or per year.
        let said = [
            fact.title.en.as_str(),
            fact.text.en.as_str(),
            &fact.keywords.join(" "),
        ]
        .join(" ");
        let said = normalizer.normalize(&said);
        let title = normalizer.normalize(&fact.title.en);
        for hit in reader.cues(&title) {
            if let Cue::Ordinal(n) = hit.value {
                frame.title_ordinals.push(n);
            }
        }
        let hits = reader.cues(&said);
        frame.numbered = reader.numbered(&said, &hits);
        for hit in hits {
            match hit.value {
                Cue::Event(e) if fact.milestone.as_ref().is_some_and(|m| m.event.is_none()) => {
                    frame.events.push(e)
                }
                Cue::Ordinal(n) => frame.ordinals.push(n),
                Cue::Qualifier(Qualifier::PerUnit) => frame.per_unit = true,
                Cue::Qualifier(Qualifier::PerPeriod) => frame.per_period = true,
                _ => {}
            }
        }
        // A text that lists things (three or more, or "、" in Chinese) says which.
        let en = &fact.text.en;
        if en.matches(", ").count() >= 2 && en.contains(" and ") || fact.text.zh_hans.contains('、')
        {
            frame.attributes.push(Attribute::Which);
        }
        for m in numbers::mentions(&fact.text.en, Mode::Strict) {
            if let Mention::Date(d) = m.mention {
                frame.years.extend(d.year);
            }
        }
        let parts: Vec<bool> = frame
            .figures
            .iter()
            .map(|g| {
                frame
                    .figures
                    .iter()
                    .any(|whole| part_of(g, whole, vocabulary))
            })
            .collect();
        for (g, part) in frame.figures.iter_mut().zip(parts) {
            g.part = part;
        }
        frame.attributes.sort();
        frame.attributes.dedup();
        frame.counts.sort();
        frame.counts.dedup();
        frame.unit_words.sort();
        frame.unit_words.dedup();
        frame.events.sort();
        frame.events.dedup();
        frame.years.sort_unstable();
        frame.years.dedup();
        frame.ordinals.sort_unstable();
        frame.ordinals.dedup();
        frame.title_ordinals.sort_unstable();
        frame.title_ordinals.dedup();
        frame
    }
}

/// Whether a figure is of the kind asked: a count for a count of things
/// or of users, any quantity for "how much", else that very kind. (A
/// breakdown, `gives_parts`, is of that very kind even for "how much".)
fn of_kind_asked(asked: Option<Attribute>, figure: Attribute) -> bool {
    match asked {
        Some(Attribute::Count | Attribute::Users) => {
            matches!(figure, Attribute::Count | Attribute::Users)
        }
        Some(Attribute::Amount) => figure.is_quantity(),
        a => a == Some(figure),
    }
}

/// The dates a question pairs with an event its subject is dated by, when
/// it asks a figure the fact of that event does not give: they name the
/// subject ("the digital identity launched in December 2020", 1999年设立的
/// 基金), and are not the period of the figure asked; nor of the name it
/// has now (于2015年成立的政策局现时叫什么). (Asked a figure "when
/// it launched", or one the founding gives, "set up in 1999 with how
/// much", the date is the figure's.)
fn subject_dated<'f>(q: &Frame, f: &'f FactFrame) -> Vec<&'f SubjectDate> {
    let asked = q.main_attribute();
    let now_called = asked == Some(Attribute::Name) && q.has(Qualifier::Latest);
    if !(asked.is_some_and(Attribute::is_quantity) || now_called) || q.asks(Attribute::When) {
        return Vec::new();
    }
    f.topic_dates
        .iter()
        .filter(|d| {
            q.years.contains(&d.year)
                && q.events.contains(&d.event)
                && !d.figures.iter().any(|g| of_kind_asked(asked, *g))
        })
        .collect()
}

/// A count's number: how many things a figure counts.
fn count_of(g: &FigureFrame) -> Option<f64> {
    match g.value {
        FigureValue::Number(v) if matches!(g.attribute, Attribute::Count | Attribute::Users) => {
            Some(v)
        }
        _ => None,
    }
}

/// Whether one count is a part of a larger count of the same things: its
/// unit is the larger one's, narrowed ("R&D projects" of "projects"), or
/// a kind of it (unicorns of companies).
fn part_of(part: &FigureFrame, whole: &FigureFrame, vocabulary: &Vocabulary) -> bool {
    let narrowed = !whole.words.is_empty() && whole.words.iter().all(|w| part.words.contains(w));
    let kind = part
        .concepts
        .iter()
        .any(|p| whole.concepts.iter().any(|w| vocabulary.is_kind_of(p, w)));
    count_of(part)
        .zip(count_of(whole))
        .is_some_and(|(p, w)| w > p)
        && (narrowed || kind)
}

/// A total of what is asked and, apart from it, a count of what it is
/// over (a number of years, for a mean per year): the two a mean is read
/// from. Asked no figure ("the average grant"), the total is of money.
fn gives_mean(asked: Option<Attribute>, f: &FactFrame, per_period: bool) -> bool {
    let over = if per_period {
        Attribute::Duration
    } else {
        Attribute::Count
    };
    let asked = match asked {
        None | Some(Attribute::Overview) => Some(Attribute::Money),
        a => a,
    };
    let quantity = asked.is_some_and(Attribute::is_quantity);
    let totals = |g: &&FigureFrame| !g.limit && of_kind_asked(asked, g.attribute);
    let counts = |g: &&FigureFrame| !g.limit && g.attribute == over;
    quantity
        && f.figures.iter().filter(totals).any(|total| {
            f.figures
                .iter()
                .filter(counts)
                .any(|count| !std::ptr::eq(total, count))
        })
}

/// Whether a fact breaks down what is asked: two different figures of the
/// same kind of thing ("7 local institutions" of "over 30 institutions"),
/// or a count of a part of a larger count ("9 unicorns" of "2,200 companies").
pub fn gives_parts(
    asked: Option<Attribute>,
    concepts: &[&str],
    words: &[String],
    f: &FactFrame,
) -> bool {
    let counting = matches!(asked, Some(Attribute::Count | Attribute::Users));
    let asked: Vec<&FigureFrame> = f
        .figures
        .iter()
        .filter(|figure| {
            if counting {
                matches!(figure.attribute, Attribute::Count | Attribute::Users)
                    && (figure
                        .concepts
                        .iter()
                        .any(|c| concepts.contains(&c.as_str()))
                        || figure.words.iter().any(|w| words.contains(w)))
            } else {
                asked == Some(figure.attribute)
            }
        })
        .collect();
    // Of a count, one that is a part of a larger one: "of them, how many
    // are unicorns".
    (counting && asked.iter().any(|a| a.part))
        || asked.iter().enumerate().any(|(i, a)| {
            asked[i + 1..]
                .iter()
                .any(|b| a.concepts == b.concepts && a.value != b.value)
        })
}

/// Whether a fact gives two figures of one kind (attribute and unit) of
/// what is compared, `None` for any quantity: figures of unlike things
/// (grant applications, training places, dollars) rank nothing.
fn ranks_alike(f: &FactFrame, compared: Option<Attribute>) -> bool {
    let numbers: Vec<&FigureFrame> = f
        .figures
        .iter()
        .filter(|g| matches!(g.value, FigureValue::Number(_)))
        .filter(|g| compared.map_or(g.attribute.is_quantity(), |a| g.attribute == a))
        .collect();
    numbers.iter().enumerate().any(|(i, g)| {
        numbers[i + 1..]
            .iter()
            .any(|h| h.attribute == g.attribute && h.concepts == g.concepts)
    })
}

/// How a question's frame fits a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Fit {
    /// The question asks for something the fact gives (Some(true)), something
    /// it does not give (Some(false)), or says nothing of what it asks (None).
    pub attribute: Option<bool>,
    /// For a count: the fact counts what is asked (Some(true)) or other things.
    pub object: Option<bool>,
    /// For a date: the fact's event is the one asked.
    pub event: Option<bool>,
    /// The batch or edition asked is the fact's.
    pub ordinal: Option<bool>,
    /// A year named in a question for a figure is one the fact covers.
    pub period: Option<bool>,
    /// "Per project", "monthly" and the like are given by the fact.
    pub narrowing: Option<bool>,
    /// A thing the factsheet does not give (staff, rent) is asked about,
    /// and this fact does not speak of it (Some(false)).
    pub outside: Option<bool>,
    /// The question states the figures this fact would give (Some(false)):
    /// it describes its subject by them and asks something else.
    pub restated: Option<bool>,
}

impl Fit {
    /// `concepts` and `words` are the question's concepts and stemmed
    /// words; `places` the parts of Hong Kong it names; `topic_ordinals`
    /// the batches and editions the fact's topic speaks of (asking for a
    /// third edition of something with a first and a second asks what the
    /// factsheet does not give); `paid_out` whether the question speaks of
    /// what was handed out (approved, granted).
    pub fn of(
        q: &Frame,
        concepts: &[&str],
        words: &[String],
        places: &Places,
        f: &FactFrame,
        topic_ordinals: &[u8],
        paid_out: bool,
    ) -> Fit {
        // Quantities and dates are read from figures and milestones, so a
        // fact without one does not give it. Descriptions (who, what, which,
        // where, a name) are in any fact's words: only a curator's `asks`
        // says a fact is about them.
        let has = |a: Attribute| f.attributes.contains(&a);
        let asked = q.main_attribute();
        let subject_dated = subject_dated(q, f);
        let described;
        let q = if subject_dated.is_empty() {
            q
        } else {
            described = Frame {
                years: q
                    .years
                    .iter()
                    .filter(|y| !subject_dated.iter().any(|d| d.year == **y))
                    .copied()
                    .collect(),
                events: q
                    .events
                    .iter()
                    .filter(|e| !subject_dated.iter().any(|d| d.event == **e))
                    .copied()
                    .collect(),
                ..q.clone()
            };
            &described
        };
        // Any beginning is the event asked: a fund "starts" when it is set
        // up, a building is "put to use" when it opens.
        let began = |e: &Event| f.events.iter().any(|fe| fe.answers(*e));
        // Which one did something in a year ("which facility opened in
        // 2020", "哪个机构在2019年成立") is named by the fact that dates
        // that event in that year.
        let names_by_date = !q.years.is_empty()
            && q.events.iter().any(began)
            && q.years.iter().all(|y| f.years.contains(y));
        let states_its_figure =
            q.states_a_figure() && f.figures.iter().any(|g| g.singled_out_in(q));
        // How long from an event up to a year ("到2025年成立了多少年"): the
        // event's date begins the span, the year ends it.
        let span_to_year =
            asked == Some(Attribute::Duration) && !q.years.is_empty() && !q.events.is_empty();
        let attribute = asked.and_then(|a| match a {
            Attribute::Users => Some(has(Attribute::Users) || has(Attribute::Count)),
            // How big a thing is, is its area or its sum: a count may be
            // of some of its parts, and confirms nothing.
            Attribute::Amount if q.has(Qualifier::Size) => {
                if has(Attribute::Area) || has(Attribute::Money) {
                    Some(true)
                } else if f.attributes.iter().any(|a| a.is_quantity()) {
                    None
                } else {
                    Some(false)
                }
            }
            Attribute::Amount => Some(f.attributes.iter().any(|a| a.is_quantity())),
            // A share and a ratio are both proportions ("配對比例").
            Attribute::Share | Attribute::Ratio => {
                Some(has(Attribute::Share) || has(Attribute::Ratio))
            }
            // A span up to a year is told by the date of that very event (a
            // centre's opening is not its owner's founding).
            Attribute::Duration => {
                Some(has(a) || (span_to_year && q.events.iter().any(|e| f.events.contains(e))))
            }
            Attribute::When | Attribute::Count | Attribute::Money | Attribute::Area => Some(has(a)),
            // Who, where, which and names are given only where the curator
            // says so (`asks`), or a list is written out, or by the date.
            Attribute::Which | Attribute::Who | Attribute::Name => Some(has(a) || names_by_date),
            Attribute::Place => Some(has(a)),
            // What a figure the question states is ("1,234這個數字代表甚麼")
            // is told by the fact that gives it.
            Attribute::What => (has(a) || states_its_figure).then_some(true),
            Attribute::YesNo | Attribute::Overview => None,
        });
        // A count of the things asked; a question that names a known kind of
        // thing (a concept) the fact does not count asks about something else.
        let counting = matches!(asked, Some(Attribute::Count | Attribute::Users));
        let names_counted = concepts.iter().any(|c| f.counts.iter().any(|k| k == c));
        let counted = names_counted || words.iter().any(|w| f.unit_words.contains(w));
        // A count of kinds is not how many there are: "how many
        // certificates" is not "over 20 types of certificates".
        let object = if counting && f.counts_kinds {
            Some(names_counted)
        } else {
            (counting && (!f.counts.is_empty() || !f.unit_words.is_empty()))
                .then_some(counted)
                .filter(|fits| *fits || !concepts.is_empty())
        };
        // A quantity asked with the date of an event ("how much went into
        // the fund when it was set up", "what year did it start and with
        // how much", "to set it up in 1999") is the figure of that event: a
        // later total is not it (nor is it "when did it start, and how many
        // has it now"). After the event (1999年成立後……其後再注資), it is
        // what came later.
        // For a date, the words for events overlap (an office "opens" when
        // it is set up; a scheme opened to all sectors "starts" for them),
        // so the event asked mostly confirms a fact. But the first
        // beginning is not a fact's date of a later change: "when was GovHK
        // first launched" is not when it was redesigned.
        let quantity_asked = asked.is_some_and(Attribute::is_quantity);
        let at_event = quantity_asked
            && (q.asks(Attribute::When) || !q.years.is_empty())
            && !q.events.is_empty()
            && !q.has(Qualifier::After)
            && !q.has(Qualifier::Cumulative)
            && !q.has(Qualifier::Latest);
        // A figure asked of what came after a beginning ("how much more
        // after setting it up", 設立之後) is not the figure it began
        // with. (After a sum named, "after the first HK$2 million", it is
        // the rest of that sum.)
        let after_beginning = quantity_asked
            && q.has(Qualifier::After)
            && (q.events.iter().any(|e| e.is_beginning()) || q.quantities.is_empty())
            && f.figure_years.is_empty()
            && f.events.iter().any(|e| e.is_beginning());
        // The latest of something ("最近一次注资") is never when it was
        // set up: a founding is the first of everything it did. Nor is the
        // name it now has the one it was set up with, when it was renamed.
        let renamed = f.topic_dates.iter().any(|d| d.event == Event::Renamed);
        let latest_founding = (asked == Some(Attribute::When)
            || (asked == Some(Attribute::Name) && renamed))
            && q.has(Qualifier::Latest)
            && !q.events.contains(&Event::Established)
            && !f.events.is_empty()
            && f.events.iter().all(|e| *e == Event::Established);
        // What a thing was set up with ("how much was injected to set up
        // the fund", 成立時注資) is its first sum, not what was added later.
        let added_after_beginning = asked == Some(Attribute::Money)
            && f.adds_to_first
            && q.events.iter().any(|e| e.is_beginning())
            && !q.has(Qualifier::After)
            && !q.has(Qualifier::Cumulative)
            && !q.has(Qualifier::Latest)
            && !q.has(Qualifier::Extra)
            && !q.has(Qualifier::Added);
        let event = if after_beginning || latest_founding || added_after_beginning {
            Some(false)
        } else if at_event {
            Some(q.events.iter().any(began))
        } else if q.events.is_empty() {
            None
        } else if asked == Some(Attribute::When)
            && q.events.contains(&Event::Completed)
            && !f.events.is_empty()
            && f.events
                .iter()
                .all(|e| matches!(e, Event::Established | Event::Launched))
        {
            // When something will be finished is not when it is set up or
            // launched: a study that starts in 2025 is not done then. (What
            // opens is often finished then: a pilot line assembled and put
            // into operation.)
            Some(false)
        } else if asked == Some(Attribute::When)
            && q.ordinals.is_empty()
            && q.events.iter().any(|e| e.is_beginning())
            && !f.ordinals.is_empty()
            && !f.events.is_empty()
            && !f.events.iter().any(|e| e.is_beginning())
        {
            // When a thing began is not when a numbered part of it was
            // finished: Science Park's opening is not its second stage's
            // first batch, Building 18W.
            Some(false)
        } else if asked != Some(Attribute::When) {
            // Asked what or why of an event ("when it was renamed, what
            // did it want to stress?"), the fact of that event tells it.
            (matches!(asked, Some(Attribute::What | Attribute::Overview))
                && q.events.iter().any(|e| f.events.contains(e)))
            .then_some(true)
        } else if q.events.iter().any(|e| f.events.contains(e)) {
            Some(true)
        } else {
            (q.ordinals.contains(&1)
                && q.events.iter().any(|e| e.is_beginning())
                && !f.events.is_empty()
                && f.events.iter().all(|e| e.is_change()))
            .then_some(false)
        };
        // A batch or edition asked must be the fact's when its topic speaks
        // of that batch; a later one its topic never mentions is not given.
        // ("First" is also "initial": it narrows only where a fact has it,
        // or where the topic numbers a later one but never the first.) A
        // figure or a date must be of that batch; the fact may only speak
        // of it otherwise.
        let quantity = asked.is_some_and(Attribute::is_quantity);
        let dated = quantity || asked == Some(Attribute::When);
        let ordinals = if dated && !f.title_ordinals.is_empty() {
            &f.title_ordinals
        } else {
            &f.ordinals
        };
        // A breakdown into shares ranks its parts: "the third biggest
        // field" numbers no batch of it.
        let ranks = f
            .figures
            .iter()
            .filter(|g| g.attribute == Attribute::Share)
            .count()
            >= 3;
        let ordinal = (!q.ordinals.is_empty()).then(|| {
            q.ordinals.iter().all(|o| {
                if topic_ordinals.contains(o) {
                    ordinals.contains(o)
                } else {
                    (*o == 1 && topic_ordinals.is_empty()) || ranks
                }
            })
        });
        // What a thing was at first ("最初资助哪些学生"), where "first"
        // numbers nothing of it (or ranks), is told by the fact of its
        // beginning.
        let began = f.events.iter().any(|e| e.is_beginning());
        let ordinal = ordinal
            .filter(|fits| !*fits || began || q.ordinals.iter().any(|o| ordinals.contains(o)));
        // The second batch of a fact that numbers its batches, but not
        // that one, is another batch, whatever else it numbers second.
        let other_of_series = q.numbered.iter().any(|(o, series)| {
            f.numbered.iter().any(|(_, s)| s == series) && !f.numbered.contains(&(*o, *series))
        });
        // What came after the first is not the first.
        let passed = q
            .passed
            .iter()
            .any(|o| ordinals.contains(o) && !q.ordinals.contains(o));
        // The figure or date of the whole of something done in parts is
        // not the part's that a fact numbers and the question does not
        // ("both phases' floor area", not the first phase's).
        let a_part = q.has(Qualifier::Whole) && ordinals.iter().any(|o| !q.ordinals.contains(o));
        // When the first one was is not told by a fact that dates nothing:
        // the yearly expo's month is not its first edition's year.
        let undated_first =
            asked == Some(Attribute::When) && q.ordinals.contains(&1) && f.years.is_empty();
        let ordinal = if other_of_series || passed || a_part || undated_first {
            Some(false)
        } else {
            ordinal
        };
        // Before a year, a figure must be of an earlier one: "the rate
        // before April 2018" is not the rate from then (and "what was the
        // rate" names no attribute, nor "what was it like", but a fact of
        // figures answers with a figure).
        let before = q.has(Qualifier::Before)
            && (quantity || matches!(asked, None | Some(Attribute::Overview | Attribute::What)))
            && !f.figures.is_empty();
        // With no year ("before the restructuring"), the figures the
        // factsheet gives are of now, not of before.
        // A figure as of a date is a figure of that year, whatever other
        // years its text names ("since 2018; 5,600 datasets as of 2025"),
        // unless the question asks a total over the years.
        // "What was it in 2020" of a fact of figures ("what was the ITF's
        // approved funding as of 2020?") asks its figures.
        let figures_asked = quantity || asked == Some(Attribute::Overview) && !f.figures.is_empty();
        let years = if figures_asked && !f.figure_years.is_empty() && !q.has(Qualifier::Cumulative)
        {
            &f.figure_years
        } else {
            &f.years
        };
        // Years asked "respectively" (分别在2020年和2021年) are each one
        // thing's: a fact of any of them is one of the things asked.
        let of_years = if q.has(Qualifier::Each) {
            q.years.iter().any(|y| years.contains(y))
        } else {
            !q.years.is_empty() && q.years.iter().all(|y| years.contains(y))
        };
        let period = match q.years.first() {
            Some(first) if before => Some(f.years.iter().any(|y| y < first)),
            None if before => Some(false),
            // The year that ends a span is no period of the fact.
            Some(_) if span_to_year => None,
            // A date asked within a year ("which days in 2026") is given
            // only by a fact of that year.
            Some(_) if asked == Some(Attribute::When) => Some(of_years),
            // So is which one did something in a year ("which facility
            // opened in 2022"): a fact that dates nothing does not tell it,
            // unless the year is the subject's own ("the 2022 blueprint").
            Some(_)
                if asked == Some(Attribute::Which)
                    && !q.events.is_empty()
                    && (!f.years.is_empty()
                        || !q.years.iter().all(|y| f.topic_dated == Some(*y))) =>
            {
                Some(of_years)
            }
            // What happened in a year ("what deal did it sign in March
            // 2023") is told only by a fact of that year, when the fact
            // dates what it tells.
            Some(_) if !quantity && !f.years.is_empty() && asked != Some(Attribute::Overview) => {
                Some(of_years)
            }
            // A year the subject is dated by ("the 2022 roadmap lays out how
            // many directions") says which one, for a figure of no year.
            // But where the fact that dates its beginning gives a figure of
            // the kind asked, that figure is the year's ("how much went into the
            // ITF in 1999": what it was set up with, not what was added
            // since; "since 1999" asks what was).
            _ if f.figure_years.is_empty()
                && !q.years.is_empty()
                && q.years.iter().all(|y| f.topic_dated == Some(*y)) =>
            {
                let dating_gives_it = figures_asked
                    && !q.has(Qualifier::After)
                    && f.topic_dates.iter().any(|d| {
                        d.event.is_beginning()
                            && q.years.contains(&d.year)
                            && asked.is_some_and(|a| d.figures.contains(&a))
                    });
                dating_gives_it.then_some(of_years)
            }
            // So is whether something will be so next year or in a year
            // named ("明年會否再注資", "2026年会不会再注资"): a fact of what
            // was does not say what will be, or what was that year. (This
            // year is the factsheet's, for a thing it says is due.)
            _ => (figures_asked && q.names_a_period()
                || asked == Some(Attribute::YesNo)
                    && (q.has(Qualifier::NextYear) || !q.years.is_empty()))
            .then_some(of_years),
        };
        // A figure as of April is not the one asked as of May of that year;
        // what was done in December is not told by a fact of June.
        let months = if quantity {
            f.figure_months.as_slice()
        } else {
            f.dated_month.as_slice()
        };
        // A figure asked as of a year's end is asked as of its December.
        let year_ends = q.year_ends.iter().filter(|_| quantity).map(|y| (*y, 12));
        let other_month = q.months.iter().copied().chain(year_ends).any(|(y, m)| {
            months.iter().any(|(fy, fm)| *fy == y && *fm != m) && !months.contains(&(y, m))
        });
        let period = if other_month { Some(false) } else { period };
        // A financial year asked ("the budget for 2025-26") is a figure of
        // that one year: a total to a date or a scheme's size is not it.
        let period = if q.financial_year.is_some() && quantity && !f.per_period {
            Some(false)
        } else {
            period
        };
        // "Each" narrows a figure ("the maximum grant" asks one); "where
        // are they each" asks a description. "Yearly" narrows a figure and
        // a thing described alike: "what does the government hold every
        // year to test its cyber defences" is told by a fact of something
        // annual, not by the partners' awareness programmes (where one is
        // near: the matcher drops "yearly" for the fit otherwise).
        let describes = asked.is_some_and(Attribute::is_description);
        // A mean is told only by a total of what is asked and a count of
        // what it is over, given together (a cap per project is no mean; a
        // mean per year is a total over a number of years).
        let wants_mean = q.has(Qualifier::Average);
        let wants_unit = !describes && q.has(Qualifier::PerUnit) && !wants_mean;
        let wants_period = q.has(Qualifier::PerPeriod) && !wants_mean;
        // Part of a total: the fact must give two figures of what is asked.
        let wants_part = quantity && q.has(Qualifier::Breakdown);
        // One field's part is a figure whose unit names the field: "how
        // many of the 30 centres do AI" is not the two clusters, AI's one.
        let of_fields = places.fields.is_empty()
            || !matches!(asked, Some(Attribute::Count | Attribute::Amount))
            || f.figures.iter().any(|g| {
                of_kind_asked(asked, g.attribute)
                    && places
                        .fields
                        .iter()
                        .any(|d| g.concepts.iter().any(|c| c == d))
            });
        let breakdown = wants_part && gives_parts(asked, concepts, words, f) && of_fields;
        // A figure for one district or one university: a citywide figure,
        // or a total over several, is not it. The fact must speak of each
        // part the question narrows to, and of no other than it names.
        let wants_place = quantity && places.names_any();
        // So is a figure for one field: the fund's totals are not biotech's,
        // nor is a sum or a count over several fields the part of one of
        // them (the R&D Centres' projects are not textiles'), unless the
        // fact breaks it down by field. (A ratio or a limit holds for each
        // field alike.)
        let wants_field = quantity && !places.fields.is_empty();
        let sum_of_several = matches!(
            asked,
            Some(Attribute::Money | Attribute::Amount | Attribute::Count)
        ) && places.fields.len() == 1
            && f.fields.len() > 1
            && !gives_parts(asked, concepts, words, f);
        let of_field = places
            .fields
            .iter()
            .all(|d| f.fields.iter().any(|k| k == d))
            && !sum_of_several;
        // A figure or a date to come is given only by a fact of something
        // planned: "how many will be installed" is not how many there are,
        // and "when will all services use it" is not when it launched.
        let wants_future = (quantity || asked == Some(Attribute::When)) && q.has(Qualifier::Future);
        // A total so far is not a limit: "how many projects approved so
        // far" is not "up to 3 projects each", nor is any count of what
        // was approved. (A total given confirms nothing: most figures are
        // totals.)
        // Nor is what was handed out so far a scheme's size: it is a
        // running total, as of a date ("how much has NIAS approved so far"
        // is not its HK$10 billion).
        let wants_total = quantity && q.has(Qualifier::Cumulative) && !q.has(Qualifier::PerUnit);
        let wants_paid_out = paid_out
            && matches!(asked, Some(Attribute::Money | Attribute::Amount))
            && (q.has(Qualifier::Cumulative) || q.has(Qualifier::Latest))
            && !q.has(Qualifier::PerUnit);
        let wants_approved_count =
            paid_out && asked == Some(Attribute::Count) && !q.has(Qualifier::PerUnit);
        let no_total = (wants_total || wants_paid_out || wants_approved_count)
            && !f.figures.iter().any(|g| {
                !g.limit && (g.dated || !wants_paid_out) && of_kind_asked(asked, g.attribute)
            });
        let asked_place = |k: &String| {
            places.narrowing.contains(&k.as_str()) || places.named.contains(&k.as_str())
        };
        let of_place = places
            .narrowing
            .iter()
            .all(|d| f.parts.iter().any(|k| k == d))
            && f.parts.iter().all(asked_place);
        // Whatever else is asked, a fact of other places than the one
        // asked about is about them: Yuen Long's centre is not Tai Po's.
        let elsewhere = !quantity
            && !f.parts.is_empty()
            && !f.parts.iter().any(asked_place)
            && places.names_any();
        // Every figure the fact gives is one the question states (and it
        // does not ask when: "the two-year scheme, launched when?"). A
        // figure of the kind asked that it does not state is the answer:
        // "the two-year scheme's funding ratio".
        let is_stated = |g: &FigureFrame| g.stated_in(q);
        // A count the question states that is a part of a larger one the
        // fact gives, of the same things ("the 6,396 R&D projects" of
        // 78,701 projects), narrows what is asked to that part: the fact's
        // sum is of the whole.
        let stated_part = quantity
            && !matches!(asked, Some(Attribute::Count | Attribute::Users))
            && f.figures.iter().any(|g| is_stated(g) && g.part);
        // Which one ranks first ("which InnoPark is the largest") is told
        // only by a fact that gives a figure of what is compared for
        // several: a total ranks nothing. (Two things set side by side,
        // "有咩分別", are compared, not ranked.)
        // A sum the question states describes what it asks of ("the fund
        // seeded with $5 billion: which field ranks second?"); it is not
        // what is compared.
        let compared = q.attributes.iter().find(|a| {
            a.is_quantity()
                && (q.quantities.is_empty() || !matches!(a, Attribute::Money | Attribute::Amount))
        });
        let ranks_none = q.has(Qualifier::Comparison)
            && !q.has(Qualifier::Each)
            && q.asks(Attribute::Which)
            && !ranks_alike(f, compared.copied());
        let narrowing = (wants_unit
            || wants_mean
            || ranks_none
            || wants_period
            || wants_part
            || wants_place
            || wants_field
            || wants_future
            || no_total
            || elsewhere
            || stated_part)
            .then_some(
                !elsewhere
                    && !ranks_none
                    && !stated_part
                    && (!wants_unit || f.per_unit)
                    && (!wants_mean || gives_mean(asked, f, q.has(Qualifier::PerPeriod)))
                    && !no_total
                    && (!wants_future || f.planned)
                    && (!wants_period || f.per_period)
                    && (!wants_part || breakdown)
                    && (!wants_place || of_place)
                    && (!wants_field || of_field),
            );
        let gives_unstated_asked = f
            .figures
            .iter()
            .any(|g| Some(g.attribute) == asked && !is_stated(g));
        let mut numbers = f
            .figures
            .iter()
            .filter(|g| matches!(g.value, FigureValue::Number(_)))
            .peekable();
        let restated_all = quantity
            && !q.asks(Attribute::YesNo)
            && !q.asks(Attribute::When)
            && !gives_unstated_asked
            && numbers.peek().is_some()
            && numbers.all(is_stated);
        // "Which are the 12 economies?" ("哪12个经济体" reads as no cue): the
        // asker knows how many and asks for the members, which a fact gives
        // only where it names them.
        // So does "which universities": the factsheet names companies and
        // universities only where a fact lists them, and never ranks them
        // ("which university got the most").
        // The members asked are listed where a listed figure counts them
        // (InnoHK lists its two clusters, not its universities).
        let lists_members = f
            .figures
            .iter()
            .any(|g| g.listed && g.concepts.iter().any(|c| concepts.contains(&c.as_str())));
        let members = !q.asks(Attribute::YesNo)
            && ((matches!(
                asked,
                None | Some(Attribute::Which | Attribute::Who | Attribute::Name)
            ) && f.figures.iter().any(|g| {
                !g.listed
                    && matches!(g.attribute, Attribute::Count | Attribute::Users)
                    && is_stated(g)
            })) || (q.has(Qualifier::Members)
                && (q.has(Qualifier::Comparison) || !lists_members)));
        let restated = (restated_all || members).then_some(false);
        Fit {
            attribute,
            object,
            event,
            ordinal,
            period,
            narrowing,
            outside: None,
            restated,
        }
    }

    /// How many of the frame's parts confirm the fact, less those that contradict it.
    pub fn merit(&self) -> i32 {
        [
            self.attribute,
            self.object,
            self.event,
            self.ordinal,
            self.narrowing,
        ]
        .iter()
        .map(|f| match f {
            Some(true) => 1,
            Some(false) => -1,
            None => 0,
        })
        .sum()
    }

    /// Whether anything in the frame contradicts the fact.
    pub fn conflicts(&self) -> bool {
        [
            self.attribute,
            self.object,
            self.event,
            self.ordinal,
            self.narrowing,
            self.restated,
        ]
        .contains(&Some(false))
    }

    /// A factor for ranking: above 1 when the frame agrees, below when it does not.
    /// The most `factor` can be: every part of the frame fits.
    pub const MAX_FACTOR: f32 = 1.25 * 1.15 * 1.15 * 1.2;

    pub fn factor(&self) -> f32 {
        let mut factor = 1.0;
        for (fit, good, bad) in [
            (self.attribute, 1.25, 0.55),
            (self.object, 1.15, 0.7),
            (self.event, 1.15, 0.75),
            (self.ordinal, 1.2, 0.5),
            (self.narrowing, 1.0, 0.7),
            (self.outside, 1.0, 0.5),
            (self.restated, 1.0, 0.5),
        ] {
            match fit {
                Some(true) => factor *= good,
                Some(false) => factor *= bad,
                None => {}
            }
        }
        factor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_fit_scores_above_max_factor() {
        let all = [None, Some(false), Some(true)];
        let mut most: f32 = 0.0;
        for attribute in all {
            for object in all {
                for event in all {
                    for ordinal in all {
                        for narrowing in all {
                            let fit = Fit {
                                attribute,
                                object,
                                event,
                                ordinal,
                                narrowing,
                                ..Fit::default()
                            };
                            most = most.max(fit.factor());
                        }
                    }
                }
            }
        }
        assert!((most - Fit::MAX_FACTOR).abs() < 1e-6, "{most}");
    }
}
