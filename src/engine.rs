//! The engine: knowledge plus matcher, answering one question at a time.
//! Every front end (CLI, Telegram, announcer) goes through it.
//!
//! The decision, from what the matcher found:
//! - a conversational intent, or a topic's name alone → that reply;
//! - a fact that fits the question's subject and what it asks, and leaves
//!   little of the question unaccounted for → the answer, even when few
//!   words overlap;
//! - the subject is clear but none of its facts gives what is asked, or
//!   gives it for the year asked → say so, and show what the factsheet has;
//! - asked of each of several things ("respectively", "分别"), the facts
//!   of one subject that each give what is asked → all of them, in turn;
//! - asked which scheme (office, platform) does what the question
//!   describes → a fact of the one described, or its overview when
//!   several are alike;
//! - a fact of a subject the question names, close below one of a subject
//!   it only describes → the named one's;
//! - one fact, not named, that holds the question's words far better than
//!   any other and gives what is asked → the answer (unless all it holds
//!   is the thing counted, which other facts hold as well, or a fact of
//!   another year or batch holds more of its words);
//! - facts that could be meant → "not sure", with them as suggestions;
//! - nothing near → a polite decline.
//!
//! Things compared, added up or a time between are read apart
//! (`compare`), and so are two asks of one subject in a row (`two_asks`):
//! each ask read alone, both facts given.

mod compare;
mod two_asks;

use crate::answer::{self, Reply, Suggestion, Target, MAX_REPLY_CHARS};
use crate::knowledge::{Attribute, Event, Knowledge, Qualifier, Status};
use crate::lang::Lang;
use crate::matcher::{Candidate, Directness, Matcher, Ranking};
use crate::normalize::{capped, detect_lang};

/// Facts at or above this score are offered as suggestions.
pub const SUGGEST_AT: f32 = 0.2;
/// A named subject counts from this strength (names 1, homophones 0.9,
/// good descriptions 0.75 and up).
pub const SUBJECT_AT: f32 = 0.75;
/// A subject named, by its name or a homophone of it, not described.
const NAMED_AT: f32 = 0.9;
/// Without a named subject, an answer needs this much of the question explained.
pub const UNANCHORED_COVERAGE: f32 = 0.6;
/// Without a named subject, an answer may leave at most this much unaccounted for.
pub const UNANCHORED_RESIDUE: f32 = 0.2;
/// An answer may leave at most this share of the question unaccounted for.
pub const MAX_RESIDUE: f32 = 0.4;
/// ... or this much, when the question names the subject and asks what the fact gives.
pub const FRAMED_RESIDUE: f32 = 0.55;
/// Of which at most this much may be words the knowledge uses elsewhere.
pub const MAX_STRAY: f32 = 0.3;
/// A named subject asked for a description or a date, whose fact scores
/// `LEADING` times any other, may leave this much unaccounted for (and
/// this much of it stray): the rest is paraphrase.
const LEADING: f32 = 1.5;
const LEADING_RESIDUE: f32 = 0.65;
const LEADING_STRAY: f32 = 0.5;
/// A named subject's fact this many times better than any other may leave
/// this share of the question's plain words unexplained.
const FAR_LEAD: f32 = 3.0;
const FAR_RESIDUE: f32 = 0.7;
/// ... if its words hold this much of the question: a name and little
/// else ("創科署 … 咩活動") is the subject, not what is asked of it.
const FAR_COVERAGE: f32 = 0.25;
/// A candidate that holds this much of the question, leaves at most
/// `DOMINANT_RESIDUE` unaccounted for and scores `DOMINANT_LEAD` times the
/// runner-up is the answer although it is not named.
const DOMINANT_COVERAGE: f32 = 0.30;
const DOMINANT_RESIDUE: f32 = 0.40;
/// ... or up to `DOMINANT_KNOWN_RESIDUE`, if at most `DOMINANT_UNKNOWN` of
/// the question is words the knowledge never uses: a paraphrase's own
/// words are mostly words the knowledge writes elsewhere (身份證, "guitar"
/// and "Disneyland" are what questions from outside leave over).
const DOMINANT_KNOWN_RESIDUE: f32 = 0.55;
const DOMINANT_UNKNOWN: f32 = 0.25;
/// ... or up to `FRAMED_RESIDUE`, as if its subject were named, if it
/// scores `FAR_LEAD` times any other that could answer and at most
/// `FAR_UNKNOWN` of the question is words the knowledge never uses: no
/// other reading comes near ("mainland visitors paying government fees by
/// mainland e-wallet: how many services?").
const FAR_UNKNOWN: f32 = 0.3;
const DOMINANT_LEAD: f32 = 2.0;
const CONFIRMED_LEAD: f32 = 1.5;
/// A runner-up this close to the best in words (and `RIVAL_SCORE` in score)
/// makes the question ambiguous.
const AMBIGUOUS: f32 = 0.93;
const RIVAL_SCORE: f32 = 0.8;
/// A rival this close in score that holds more of the question's words is
/// one even when it could not be answered on its own.
const NEAR_TIE: f32 = 0.95;
/// Scores this close are the same.
const TIED: f32 = 0.995;
/// How much more of the question a fact that names the subject less
/// directly must hold to rival one of the subject itself.
const FULLER: f32 = 1.15;
/// Another fact holding this share of what a candidate holds of the
/// question holds its words as well.
const SAME_WORDS: f32 = 0.9;
/// A count holding this much of a question is all the question says.
const ONLY_THE_COUNTED: f32 = 0.9;
const MAX_SUGGESTIONS: usize = 3;
/// Asked of each of several things, facts scoring this share of the best
/// that could answer as well are the others asked about.
const EACH_SCORE: f32 = 0.6;

pub struct Engine {
    knowledge: Knowledge,
    matcher: Matcher,
}

/// Why a question got its reply, for curators.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub reply: Reply,
    pub ranking: Ranking,
}

/// Whether a candidate may be given as the answer.
///
/// Nothing in the question may contradict the fact, and little may be left
/// that the fact does not account for. What is left may be more when the
/// question names the fact's subject and asks what the fact gives (a
/// paraphrase is mostly words the knowledge never uses), but never words
/// the knowledge uses for something else (`stray`: "elderly" users, staff).
fn answerable(c: &Candidate, ranking: &Ranking, topics_named: usize, each_named: bool) -> bool {
    let frame = &ranking.frame;
    let judging =
        frame.has(Qualifier::Opinion) || (frame.has(Qualifier::Comparison) && topics_named > 1);
    let framed = c.subject >= SUBJECT_AT && c.fit.attribute == Some(true);
    let sure_of_subject = c.subject >= SUBJECT_AT && (framed || c.coverage >= 0.35);
    // Of the whole city, a figure is not one body's that the question
    // does not name: Cyberport's unicorns are not all Hong Kong's.
    let sure_without = c.subject == 0.0
        && !frame.has(Qualifier::Citywide)
        && c.coverage >= UNANCHORED_COVERAGE
        && c.residue <= UNANCHORED_RESIDUE
        && singled_out(c, ranking);
    // A description or a date asked of a named subject, with one fact far
    // ahead: the other words are the asker's paraphrase. (For a figure they
    // are what narrows it: elderly users, one field's share.)
    // So is a count of the very thing the fact counts ("researchers" in
    // InnoHK), far ahead of any other fact, if nothing else the question
    // names narrows it: "take part" is a paraphrase, "elderly" users are not.
    let describes = frame.main_attribute().is_some_and(|a| !a.is_quantity());
    let counts_it = c.fit.object == Some(true) && !c.unspoken;
    let leads =
        framed && (describes || counts_it) && c.score >= LEADING * runner_up(ranking, c, |_| true);
    // A named subject's fact that gives what is asked, far ahead of any
    // other, whose unexplained words are all plain words (no concept:
    // staff, rent, the elderly are what near questions ask), is the
    // subject's in the asker's words.
    let far_ahead = framed
        && !c.unspoken
        && c.coverage >= FAR_COVERAGE
        && c.score >= FAR_LEAD * runner_up(ranking, c, |_| true);
    // A date asked, of a subject named, of an event that no fact near it
    // in score dates ("when was the webpage launched", beside the
    // statement published) is as clear.
    let near_rivals = || {
        ranking
            .candidates
            .iter()
            .filter(|r| r.fact != c.fact && r.score >= RIVAL_SCORE * c.score)
    };
    let only_event = framed
        && c.subject >= NAMED_AT
        && c.fit.event == Some(true)
        && near_rivals().all(|r| r.fit.event != Some(true));
    // So is a fact of a subject named that alone, of those near it in
    // score, is of the year asked ("which InnoPark facility opened in
    // 2020", beside the ones that opened later).
    let only_dated = framed
        && c.subject >= NAMED_AT
        && c.fit.period == Some(true)
        && near_rivals().all(|r| r.fit.period == Some(false));
    // Who does something to a subject named ("which unit promotes open
    // data?") is told by another body's fact that speaks of it, far ahead
    // of any other: the subject's own facts do not say who.
    let tells_who = frame.main_attribute() == Some(Attribute::Who)
        && c.directness == Directness::Mention
        && c.fit.attribute == Some(true)
        && c.score >= LEADING * runner_up(ranking, c, |_| true);
    // A fact that speaks of the subject named and, alone of those near it,
    // dates the event asked in the year asked is what the subject did then
    // ("what did the DPO launch in December 2024?"): its own facts say
    // what it is, not what it did that year. Asked which or what, with no
    // event, the date alone picks it ("which report of October 2022 called
    // for new industrialisation?").
    let its_deed_that_year = c.directness == Directness::Mention
        && c.fit.attribute == Some(true)
        && (c.fit.event == Some(true)
            || (c.fit.event.is_none()
                && matches!(
                    frame.main_attribute(),
                    Some(Attribute::Which | Attribute::What)
                )))
        && c.fit.period == Some(true)
        && near_rivals().all(|r| r.fit.period != Some(true));
    // One of several facts named by their own names, each asked of,
    // leaves the others' names unexplained: those are not words it lacks
    // ("when did the Data Technology Hub and the AMC each open?").
    let among_each = each_named && framed && named_itself(c);
    let (max_residue, max_stray) = if among_each {
        (1.0, 1.0)
    } else if far_ahead {
        (FAR_RESIDUE, FAR_RESIDUE)
    } else if leads || only_event || only_dated {
        (LEADING_RESIDUE, LEADING_STRAY)
    } else if framed {
        (FRAMED_RESIDUE, MAX_STRAY)
    } else {
        (MAX_RESIDUE, MAX_STRAY)
    };
    !judging
        && !c.fit.conflicts()
        && c.fit.outside != Some(false)
        && c.fit.period != Some(false)
        && c.residue <= max_residue
        && c.stray <= max_stray
        && c.fit.attribute != Some(false)
        && (sure_of_subject
            || sure_without
            || tells_who
            || its_deed_that_year
            || (c.subject > 0.0 && c.coverage >= 0.5))
}

/// The first subject the question surely names (only named: one described
/// may be another in the asker's words).
fn surely_named(ranking: &Ranking, k: &Knowledge) -> Option<usize> {
    ranking
        .named_topics(k)
        .into_iter()
        .find(|(_, strength)| *strength >= SUBJECT_AT)
        .map(|(t, _)| t)
}

/// Whether the question names the fact itself, by its name.
fn named_itself(c: &Candidate) -> bool {
    c.named && c.directness == Directness::Own
}

/// Whether the question asks something of each of several facts it names
/// by their own names.
fn each_named(ranking: &Ranking) -> bool {
    ranking.frame.has(Qualifier::Each)
        && ranking
            .candidates
            .iter()
            .filter(|c| named_itself(c))
            .count()
            > 1
}

/// Whether the question's words single a fact out when it names no
/// subject. A question that says only what it counts, in words other facts
/// hold as well, is answered by no one fact's count: "how many companies?"
/// is not asking for Cyberport's.
fn singled_out(c: &Candidate, ranking: &Ranking) -> bool {
    c.fit.object != Some(true)
        || c.coverage < ONLY_THE_COUNTED
        || ranking
            .candidates
            .iter()
            .all(|r| r.fact == c.fact || r.coverage < SAME_WORDS * c.coverage)
}

/// Whether a fact that gives what is asked, but for another year or batch
/// than the one asked, holds more of the question than the candidate: that
/// fact is what the question is about, and the factsheet lacks the year or
/// batch asked. One that happens to cover it is another thing (the RTH's
/// 2024 posts are not its extra posts for NIAS firms from 2024; the Hong
/// Kong Park's second phase is not Science Park's second-stage expansion).
/// Another batch counts only against a fact taken for want of rivals: one
/// that answers on its own shares its words with its topic's other
/// batches ("RAISe+'s second batch, how many projects" holds the first
/// batch's words as well).
/// Asked which one did something in a year, the year picks the fact: the
/// others did it in other years. A fact of a subject named less surely is
/// not what the question is about (the ITF's total, for "the ITF's GSP").
fn another_period_holds_more(c: &Candidate, ranking: &Ranking, batches: bool) -> bool {
    let picks_by_year = ranking.frame.main_attribute() == Some(Attribute::Which);
    !picks_by_year
        && ranking.candidates.iter().any(|r| {
            r.fact != c.fact
                && r.coverage > c.coverage
                && r.subject >= c.subject
                && (r.fit.period == Some(false) || (batches && r.fit.ordinal == Some(false)))
                && r.fit.attribute == Some(true)
                && r.fit.event != Some(false)
        })
}

/// The facts near enough to offer: those that do not give another kind of
/// thing than is asked.
fn near(ranking: &Ranking) -> Vec<&Candidate> {
    ranking
        .candidates
        .iter()
        .filter(|c| c.score >= SUGGEST_AT)
        .filter(|c| c.fit.attribute != Some(false))
        .collect()
}

/// The best score of a fact other than the candidate's, among those `counted`.
fn runner_up(ranking: &Ranking, c: &Candidate, counted: impl Fn(&Candidate) -> bool) -> f32 {
    ranking
        .candidates
        .iter()
        .find(|r| r.fact != c.fact && counted(r))
        .map_or(0.0, |r| r.score)
}

/// How far ahead a paraphrase's best reading must be: less when the frame
/// confirms it twice (a date asked, of the event the fact dates), or when
/// it gives what is asked and speaks of a subject the question names (the
/// DPO's campaign for accessibility), or when the question asks whether:
/// all its words are what it asks whether, and a fact that holds them far
/// better than any other states it ("can universities spend Mainland
/// research funds in Hong Kong?"). A count of the thing a fact counts is
/// not enough: Cyberport's start-ups are not all Hong Kong's.
fn dominant_lead(c: &Candidate, yes_or_no: bool) -> f32 {
    if yes_or_no
        || (c.fit.attribute == Some(true) && (c.fit.event == Some(true) || c.subject > 0.0))
    {
        CONFIRMED_LEAD
    } else {
        DOMINANT_LEAD
    }
}

/// Whether a fact's subject is named in the question more surely than the
/// chosen fact's, which is then only described: "研究人員" describes the
/// Research Talent Hub, but a question that names InnoHK is about InnoHK.
/// For a figure, so is a fact that only speaks of the subject named: its
/// figure is of its own subject (the Loop's floor area, not Science
/// Park's). So it is for what a thing named by a name of its own is: what
/// APICTA is, the DPO's fact of the delegations it leads does not say.
fn named_more_surely(r: &Candidate, chosen: &Candidate, asked: Option<Attribute>) -> bool {
    let figure = asked.is_some_and(Attribute::is_quantity);
    let what_it_is = matches!(asked, Some(Attribute::Overview | Attribute::What));
    let own_thing = what_it_is && r.directness == Directness::Own;
    r.subject > chosen.subject
        && r.directness >= Directness::Topic
        && (chosen.directness >= Directness::Topic
            || ((figure || own_thing) && chosen.directness == Directness::Mention))
}

/// Whether `r`'s subject is only described where `c`'s, another, is named
/// (unless `r`'s is the kind of thing asked: "which office is in charge of
/// open data" asks for the office described).
fn only_described_beside(r: &Candidate, c: &Candidate) -> bool {
    c.named && !r.named && !r.kind_asked && r.subject > 0.0 && r.directness >= Directness::Topic
}

/// Whether a fact not itself sure enough to answer is as good a reading
/// of the question as the chosen one: nearly as high, holding more of its
/// words, and fitting what is asked. Then the choice is a guess.
fn close_and_fuller(r: &Candidate, chosen: &Candidate) -> bool {
    r.score >= NEAR_TIE * chosen.score && r.coverage > chosen.coverage && !gives_something_else(r)
}

/// Whether a fact just below the chosen one is the better reading: nearly
/// as high, holding as much of the question, and fitting what is asked
/// better (the event asked, where the chosen one dates another). One that
/// dates the event asked, where the chosen one dates none, may be further
/// below: the chosen one is named more directly, not a date of that event.
fn reads_better(r: &Candidate, chosen: &Candidate) -> bool {
    let dates_the_event = r.fit.event == Some(true) && chosen.fit.event.is_none();
    let close = if dates_the_event {
        RIVAL_SCORE
    } else {
        NEAR_TIE
    };
    r.score >= close * chosen.score
        && r.coverage >= chosen.coverage
        && r.fit.merit() > chosen.fit.merit()
}

/// Whether a rival names its subject as directly as the chosen fact, or
/// holds more of the question. One that only speaks of the subject named
/// (the Research Talent Hub's fact of NIAS companies) must hold clearly
/// more to rival that subject's own fact when the latter gives what is
/// asked.
fn named_as_directly_or_fuller(r: &Candidate, chosen: &Candidate) -> bool {
    if r.directness >= chosen.directness {
        return true;
    }
    let fuller = if r.directness == Directness::Mention && chosen.fit.attribute == Some(true) {
        FULLER
    } else {
        1.0
    };
    r.coverage > fuller * chosen.coverage
}

/// Whether another candidate that could answer scores the same as the
/// chosen one, to within rounding, of the same subject and fitting as
/// well: which of them comes first is chance, not a reading.
fn tied(r: &Candidate, chosen: &Candidate) -> bool {
    r.score >= TIED * chosen.score
        && r.directness == chosen.directness
        && r.fit.merit() >= chosen.fit.merit()
        && !gives_something_else(r)
}

/// Whether a candidate's frame rules it out: it gives another kind of
/// figure, another year, or nothing of a thing asked about.
fn gives_something_else(c: &Candidate) -> bool {
    c.fit.conflicts()
        || c.fit.attribute == Some(false)
        || c.fit.outside == Some(false)
        || c.fit.period == Some(false)
}

impl Engine {
    pub fn new(knowledge: Knowledge) -> Engine {
        let matcher = Matcher::new(&knowledge);
        Engine { knowledge, matcher }
    }

    pub(crate) fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// Answers in the question's own language.
    pub fn ask(&self, question: &str) -> Reply {
        self.explain(question, None).reply
    }

    /// Answers in `lang`, or in the question's language when `None`.
    pub fn ask_in(&self, question: &str, lang: Option<Lang>) -> Reply {
        self.explain(question, lang).reply
    }

    pub fn explain(&self, question: &str, lang: Option<Lang>) -> Explanation {
        self.explain_following(question, None, None, lang)
    }

    /// Explains a follow-up whose subject, the topic `following`, the
    /// conversation supplied; `passed` is a fact it cannot mean (the last
    /// answer, when it asks what came after).
    pub(crate) fn explain_following(
        &self,
        question: &str,
        following: Option<usize>,
        passed: Option<usize>,
        lang: Option<Lang>,
    ) -> Explanation {
        let question = capped(question);
        let lang = lang.unwrap_or_else(|| detect_lang(question));
        let mut explanation = self.read(question, following, passed, lang);
        if let Some(both) = self.two_asks(question, &explanation, lang) {
            explanation.reply = both;
        }
        explanation.reply = fit(explanation.reply);
        explanation
    }

    /// One question read as one ask. (Its parts, when it asks two things,
    /// are read so too, never split again: a question of many "and how"s
    /// costs two readings more, not one per way of splitting it.)
    fn read(
        &self,
        question: &str,
        following: Option<usize>,
        passed: Option<usize>,
        lang: Lang,
    ) -> Explanation {
        let rank_and_decide = |question: &str| {
            let mut ranking = self.matcher.rank_following(question, following);
            ranking.candidates.retain(|c| Some(c.fact) != passed);
            let reply = self.decide(&ranking, lang);
            Explanation { reply, ranking }
        };
        let whole = rank_and_decide(question);
        // What a question sets aside ("besides Science Park", "on top of
        // the initial money") is not what it asks; read without it, an
        // answer is the one asked for. Declined so, the whole question
        // stands: the thing set aside is often listed beside the one asked
        // ("apart from floor space, what will the expansion include?").
        if let Some(rest) = self.matcher.without_set_aside(question) {
            let aside = rank_and_decide(&rest);
            let another =
                aside.reply.intent != whole.reply.intent || aside.reply.facts != whole.reply.facts;
            if aside.reply.answered() && another {
                return aside;
            }
        }
        whole
    }

    fn decide(&self, ranking: &Ranking, lang: Lang) -> Reply {
        let k = &self.knowledge;
        if let Some(id) = &ranking.intent {
            if let Some(reply) = answer::intent_reply(k, id, lang, 1.0) {
                return reply;
            }
        }
        // Asked what a subject does, one of its facts may say it ("what
        // does HKPC do?" is its role); failing that, its overview does.
        let overview = |t: usize| answer::topic_reply(k, &k.topics[t], lang, 0.9);
        if let Some(t) = ranking.overview {
            if ranking.frame.only_overview() || ranking.candidates.is_empty() {
                return overview(t);
            }
        }
        if let Some(t) = ranking.parts_of {
            return overview(t);
        }
        if let Some(reply) = self.first_or_last(ranking, lang) {
            return reply;
        }
        if let Some(reply) = self.compared(ranking, lang) {
            return reply;
        }
        // Asked which scheme does what one describes, its overview names it
        // when no one fact of it stands out.
        let overview_topic = ranking.overview.or(ranking.summarised).or(ranking
            .which_described
            .filter(|(_, strength)| *strength >= SUBJECT_AT)
            .map(|(t, _)| t));
        let Some(best) = ranking.candidates.first() else {
            return match overview_topic {
                Some(t) => overview(t),
                None => answer::unsure_reply(lang, 0.0, Vec::new()),
            };
        };
        // Comparing subjects is asking to compare ones named: a subject
        // only described is most often the same one in other words.
        let topics_named = ranking
            .named_topics(k)
            .iter()
            .filter(|(_, s)| *s >= SUBJECT_AT)
            .count();
        let each_asked = ranking.frame.has(Qualifier::Each);
        let each_named = each_named(ranking);
        let answerable = |c: &Candidate| answerable(c, ranking, topics_named, each_named);
        // The best answerable candidate among those close to the top. One
        // ranked above it may be passed over only because it does not give
        // what is asked; one that leaves too much of the question unexplained
        // stops the search (a lower one explains the question less).
        // A topic named alone and asked what it does is described by its
        // overview, unless a fact of it is one that says so (a role): a
        // count of its companies is not what Cyberport does.
        let describes_it =
            |c: &&Candidate| ranking.overview.is_none() || c.fit.attribute == Some(true);
        // Asked what a topic named does in words of its summary, another
        // topic's fact that mentions it does not say (what the ITF
        // supports is not one programme under it).
        let of_summarised = |c: &&Candidate| {
            ranking
                .summarised
                .is_none_or(|t| k.facts[c.fact].topic == k.topics[t].id)
        };
        let choosable = |c: &&Candidate| {
            answerable(c)
                && describes_it(c)
                && of_summarised(c)
                && !another_period_holds_more(c, ranking, false)
        };
        let chosen = ranking
            .candidates
            .iter()
            .take(4)
            .take_while(|c| c.score >= 0.6 * best.score)
            .find(|c| answerable(c) || !gives_something_else(c))
            .filter(choosable);
        // Passed over, the fact of a subject the question names leaves the
        // subject's figure untold; a fact of no subject named below it is
        // another thing's ("how many applications has NIFS approved" is
        // not the training scheme's count).
        let chosen = chosen.filter(|c| {
            c.subject > 0.0
                || !ranking
                    .candidates
                    .iter()
                    .take_while(|r| r.fact != c.fact)
                    .any(|r| r.named)
        });
        // A subject the question names is what it is about: a fact of one
        // it only describes, close above, is not (InnoHK's researchers, not
        // the Research Talent Hub's, for "InnoHK啲研究人員").
        let chosen = match chosen {
            Some(c) if !c.named => ranking
                .candidates
                .iter()
                .take(4)
                .filter(|r| r.score >= RIVAL_SCORE * c.score)
                .find(|r| only_described_beside(c, r) && choosable(r))
                .or(Some(c)),
            other => other,
        };
        let chosen = chosen.map(|c| {
            ranking
                .candidates
                .iter()
                .take(4)
                .filter(|r| reads_better(r, c))
                .find(choosable)
                .unwrap_or(c)
        });
        let asked = ranking.frame.main_attribute();
        // Asked a description (what, which, where), a fact is known to give
        // it only where a curator said so (`asks`): one of no figures that
        // says nothing of it is not the worse for that beside one that does.
        let merit_beside = |r: &Candidate, c: &Candidate| {
            let undeclared = asked.is_some_and(|a| !a.is_quantity() && a != Attribute::When)
                && r.fit.attribute.is_none()
                && c.fit.attribute == Some(true)
                && self.matcher.fact_frame(r.fact).figures.is_empty();
            r.fit.merit() + i32::from(undeclared)
        };
        if let Some(c) = chosen {
            // A rival is as close in score and in words, fits the question
            // as well, and is named as directly (or holds more of its words);
            // or it is close in score and of a subject the question names,
            // where the chosen one's is only described.
            let rivals: Vec<&Candidate> = ranking
                .candidates
                .iter()
                .filter(|r| r.fact != c.fact && r.score >= RIVAL_SCORE * c.score)
                .filter(|r| !only_described_beside(r, c))
                // Asked which thing of a kind, a fact of one not of that kind
                // is no reading of the answer ("which award does the DPO
                // lead a delegation to": the DPO is named, the award asked).
                .filter(|r| !c.kind_asked || r.kind_asked)
                .filter(|r| {
                    named_more_surely(r, c, asked)
                        || tied(r, c)
                        || (r.coverage >= AMBIGUOUS * c.coverage
                            && merit_beside(r, c) >= c.fit.merit()
                            && named_as_directly_or_fuller(r, c)
                            && (!r.part || c.part)
                            && (answerable(r) || close_and_fuller(r, c)))
                })
                .collect();
            // Asked of each of several things, the others asked about are
            // the facts close to it that could answer too, of the same
            // subject; any other rival still makes it a guess.
            // A fact that itself names several places or lists several
            // things answers alone: the three InnoParks' land is where
            // each is.
            let gives_each = {
                let f = self.matcher.fact_frame(c.fact);
                f.parts.len() > 1 || f.figures.iter().any(|g| g.listed)
            };
            // So are two events asked of one subject, when the facts close
            // together each date another of them ("when was it set up, and
            // when did it get its current name?").
            let asked_events = &ranking.frame.events;
            let events_asked = asked_events.len() > 1 && !rivals.is_empty();
            let dates = |f: usize, e: &Event| self.matcher.fact_frame(f).events.contains(e);
            let dates_another = |r: &Candidate| {
                asked_events.iter().any(|e| dates(c.fact, e))
                    && asked_events
                        .iter()
                        .any(|e| dates(r.fact, e) && !dates(c.fact, e))
            };
            if (each_asked || events_asked) && !gives_each {
                let topic = &k.facts[c.fact].topic;
                let each: Vec<&Candidate> = ranking
                    .candidates
                    .iter()
                    .filter(|r| {
                        r.fact != c.fact
                            && (r.score >= EACH_SCORE * c.score || (each_named && named_itself(r)))
                    })
                    .filter(|r| answerable(r) && &k.facts[r.fact].topic == topic)
                    // Several named, the others asked about are those named.
                    .filter(|r| !each_named || named_itself(r))
                    .filter(|r| each_asked || dates_another(r))
                    .take(MAX_SUGGESTIONS - 1)
                    .collect();
                if !each.is_empty() && rivals.iter().all(|r| each.iter().any(|e| e.fact == r.fact))
                {
                    let mut facts = vec![&k.facts[c.fact]];
                    facts.extend(each.iter().map(|r| &k.facts[r.fact]));
                    return answer::facts_reply(k, &facts, lang, c.score.min(1.0));
                }
            }
            if rivals.is_empty() {
                let confidence = c.score.min(1.0);
                return answer::fact_reply(k, &k.facts[c.fact], lang, confidence);
            }
            if let Some(t) = overview_topic {
                return overview(t);
            }
            // Two facts of the subject named, close together and alone near
            // the top, that each give the figure or date asked (of the event
            // asked) are both told: which the asker means is plain beside
            // them, and "did you mean" would offer just these two.
            if let [r] = rivals[..] {
                let gives_asked = |x: &Candidate| {
                    x.fit.attribute == Some(true)
                        && (ranking.frame.events.is_empty() || x.fit.event == Some(true))
                };
                let figure_asked = ranking
                    .frame
                    .main_attribute()
                    .is_some_and(|a| a.is_quantity() || a == Attribute::When);
                let alone = ranking
                    .candidates
                    .iter()
                    .filter(|x| x.score >= RIVAL_SCORE * c.score)
                    .count()
                    == 2;
                if figure_asked
                    && alone
                    && c.subject >= SUBJECT_AT
                    && k.facts[r.fact].topic == k.facts[c.fact].topic
                    && gives_asked(c)
                    && gives_asked(r)
                    && answerable(r)
                {
                    let facts = [&k.facts[c.fact], &k.facts[r.fact]];
                    return answer::facts_reply(k, &facts, lang, c.score.min(1.0));
                }
            }
            let mut offered = vec![c];
            offered.extend(rivals);
            return answer::unsure_reply(lang, c.score.min(1.0), self.suggest(&offered, lang));
        }
        if let Some(t) = overview_topic {
            return overview(t);
        }
        // Another place's figures: the factsheet covers Hong Kong only, so
        // no subject of it "lacks" them.
        if ranking.elsewhere {
            return answer::unsure_reply(lang, 0.0, Vec::new());
        }
        if let Some(reply) = self.known_subject_lacks(ranking, lang) {
            return reply;
        }
        let near = near(ranking);
        // An opinion is not in the factsheet, however clear its subject.
        if ranking.frame.has(Qualifier::Opinion) {
            return self.unsure(ranking, lang);
        }
        // A lone suggestion of the subject named that gives what is asked
        // is the answer: "did you mean" would offer only it.
        if let [only] = near.as_slice() {
            if only.subject >= SUBJECT_AT
                && only.fit.attribute == Some(true)
                && !gives_something_else(only)
                && only.stray <= MAX_STRAY
            {
                return answer::fact_reply(k, &k.facts[only.fact], lang, only.score.min(1.0));
            }
        }
        // A paraphrase that names nothing ("the government digital hub that
        // hosts nine unicorns") but whose words one fact holds far better
        // than any other, and which asks what that fact gives, or whether
        // what it describes holds ("can I pay by mainland e-wallet?").
        // Asked whether, a word of money or of a kind of thing is part of
        // what is asked whether ("政府收費服務有冇得用電子付款?").
        let yes_or_no = ranking.frame.asks(Attribute::YesNo);
        // "What is <a description>" (入門網站是甚麼) asks which thing it is
        // (a ranking asks how things compare).
        let what_it_is = ranking.frame.main_attribute() == Some(Attribute::Overview)
            && !ranking.frame.has(Qualifier::Comparison);
        // Its lead is over the facts that could answer: one that gives
        // something else makes the reading no less clear.
        let could_answer = |r: &Candidate| !gives_something_else(r);
        if let Some(first) = near.first() {
            let rival = runner_up(ranking, first, could_answer);
            if (first.fit.attribute == Some(true) || yes_or_no || what_it_is)
                && !(ranking.frame.has(Qualifier::Citywide) && first.subject == 0.0)
                && !gives_something_else(first)
                && first.stray <= MAX_STRAY
                && (first.residue <= DOMINANT_RESIDUE
                    || (first.residue <= DOMINANT_KNOWN_RESIDUE
                        && first.residue - first.stray <= DOMINANT_UNKNOWN)
                    || (first.residue <= FRAMED_RESIDUE
                        && first.residue - first.stray <= FAR_UNKNOWN
                        && first.score >= FAR_LEAD * rival))
                && first.coverage >= DOMINANT_COVERAGE
                && singled_out(first, ranking)
                && !another_period_holds_more(first, ranking, true)
                && first.score >= dominant_lead(first, yes_or_no) * rival
            {
                return answer::fact_reply(k, &k.facts[first.fact], lang, first.score.min(1.0));
            }
        }
        self.unsure(ranking, lang)
    }

    /// Which of a subject's things did something first, or most recently
    /// ("which InnoPark building opened most recently", 最早成立), is told
    /// by their dates: of the facts of the one subject named that date
    /// that event as done, the earliest or the latest (of those the
    /// question names, when it names two or more). No one fact says it,
    /// so no one fact's words single it out.
    fn first_or_last(&self, ranking: &Ranking, lang: Lang) -> Option<Reply> {
        let frame = &ranking.frame;
        if !matches!(
            frame.main_attribute(),
            Some(Attribute::Which | Attribute::Who)
        ) || frame.events.is_empty()
            || !frame.years.is_empty()
        {
            return None;
        }
        let latest = match (frame.ordinals.as_slice(), frame.has(Qualifier::Latest)) {
            ([1], false) if frame.passed.is_empty() => false,
            ([], true) => true,
            _ => return None,
        };
        let k = &self.knowledge;
        let [(topic, strength)] = ranking.named_topics(k)[..] else {
            return None;
        };
        if strength < SUBJECT_AT {
            return None;
        }
        let named = ranking.named_facts();
        let mut dated: Vec<(usize, (i32, u8))> = k
            .facts
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                f.topic == k.topics[topic].id && (named.len() < 2 || named.contains(i))
            })
            .filter_map(|(i, f)| {
                let m = f.milestone.as_ref().filter(|m| m.status == Status::Past)?;
                let done = m.event?;
                frame
                    .events
                    .iter()
                    .any(|e| done.answers(*e))
                    .then_some((i, (m.date.year, m.date.month.unwrap_or(0))))
            })
            .collect();
        dated.sort_by_key(|(_, date)| *date);
        if latest {
            dated.reverse();
        }
        match dated.as_slice() {
            [(fact, date), (_, next), ..] if date != next => {
                Some(answer::fact_reply(k, &k.facts[*fact], lang, 1.0))
            }
            _ => None,
        }
    }

    /// When the question clearly names a subject and asks what none of its
    /// facts gives (or for a year they do not cover), says so.
    fn known_subject_lacks(&self, ranking: &Ranking, lang: Lang) -> Option<Reply> {
        let k = &self.knowledge;
        let topic = surely_named(ranking, k)?;
        let of_topic: Vec<&Candidate> = ranking
            .candidates
            .iter()
            .filter(|c| self.matcher.topic_facts(topic).contains(&c.fact))
            .collect();
        let frame = &ranking.frame;
        // Another subject's fact that fits what is asked, of a subject the
        // question speaks of, near enough to offer, is a reading the
        // factsheet holds: not being sure of it is not the factsheet
        // lacking it. (A figure or date of a fact that only mentions the
        // subject named is its own subject's.)
        let dated = frame
            .main_attribute()
            .is_some_and(|a| a.is_quantity() || a == Attribute::When);
        let fits_elsewhere = |above: f32| {
            ranking.candidates.iter().any(|c| {
                c.score >= SUGGEST_AT.max(above)
                    && c.subject > 0.0
                    && !(dated && c.directness == Directness::Mention)
                    && c.fit.attribute == Some(true)
                    && !c.fit.conflicts()
                    && c.fit.period != Some(false)
                    && c.fit.outside != Some(false)
                    && !of_topic.iter().any(|t| t.fact == c.fact)
            })
        };
        // The figure asked exists, but not for the year asked (and no other
        // fact of the subject gives it for that year). Asked only what it
        // was then ("what was the ITF's approved funding as of 2020?"),
        // its figures are what is asked.
        let only_overview = frame.main_attribute() == Some(Attribute::Overview);
        let gives_asked = |c: &&Candidate, period: bool| {
            c.fit.period == Some(period)
                && !c.fit.conflicts()
                && (c.fit.attribute == Some(true) || only_overview && c.fit.attribute.is_none())
        };
        // Another's fact near it in score is such a reading too: "which
        // body, set up in 2001, runs the parks" is HKSTP's founding, not
        // the parks' lack of 2001.
        if let Some(c) = of_topic.iter().find(|c| gives_asked(c, false)) {
            if fits_elsewhere(RIVAL_SCORE * c.score)
                || of_topic.iter().any(|c| gives_asked(c, true))
            {
                return Some(self.unsure(ranking, lang));
            }
            let asked = years_asked(frame, lang);
            return Some(answer::period_not_covered_reply(
                k,
                &k.facts[c.fact],
                &asked,
                lang,
            ));
        }
        let attribute = frame.main_attribute()?;
        // Only what the frame rules out: a question not understood (much of
        // it unexplained) is not one the factsheet cannot answer.
        let lacks = of_topic.iter().all(|c| gives_something_else(c));
        let descriptive = matches!(
            attribute,
            Attribute::What | Attribute::YesNo | Attribute::Overview
        );
        (lacks && !descriptive).then(|| {
            if fits_elsewhere(0.0) {
                self.unsure(ranking, lang)
            } else {
                answer::not_in_factsheet_reply(
                    k,
                    &k.topics[topic],
                    asked_noun(attribute, lang),
                    lang,
                )
            }
        })
    }

    /// That the factsheet does not give, of a fact's subject, what the
    /// question ranked asks, when the fact (by id) does not give it: for a
    /// follow-up that says only how it asks ("which ones?").
    pub(crate) fn fact_lacks(&self, ranking: &Ranking, fact: &str, lang: Lang) -> Option<Reply> {
        let k = &self.knowledge;
        let attribute = ranking.frame.main_attribute()?;
        let c = ranking
            .candidates
            .iter()
            .find(|c| k.facts[c.fact].id == fact)?;
        let topic = k.topic(&k.facts[c.fact].topic)?;
        (c.fit.attribute == Some(false))
            .then(|| answer::not_in_factsheet_reply(k, topic, asked_noun(attribute, lang), lang))
    }

    /// Whether a fact (by id) could answer the question ranked, giving
    /// what it asks and scoring within `margin` of the best: for a
    /// follow-up that keeps the last answer's subject.
    pub(crate) fn gives_what_is_asked(&self, ranking: &Ranking, fact: &str, margin: f32) -> bool {
        let k = &self.knowledge;
        let best = ranking.candidates.first().map_or(0.0, |c| c.score);
        let topics_named = ranking
            .topics(k)
            .iter()
            .filter(|(_, s)| *s >= SUBJECT_AT)
            .count();
        let each_named = each_named(ranking);
        ranking.candidates.iter().any(|c| {
            k.facts[c.fact].id == fact
                && c.score >= margin * best
                && c.fit.attribute == Some(true)
                && answerable(c, ranking, topics_named, each_named)
        })
    }

    /// Not sure, offering the facts near enough to suggest.
    pub(super) fn unsure(&self, ranking: &Ranking, lang: Lang) -> Reply {
        let best = ranking.candidates.first().map_or(0.0, |c| c.score);
        let mut offered = near(ranking);
        // None gives what is asked, but the question names or describes a
        // subject: its facts are the closest topics, and the question is
        // not out of scope ("學校想辦資訊科技課外活動，政府有甚麼資助?").
        if offered.is_empty() {
            offered = ranking
                .candidates
                .iter()
                .filter(|c| c.score >= SUGGEST_AT && c.subject >= SUBJECT_AT)
                .collect();
        }
        answer::unsure_reply(lang, best.min(1.0), self.suggest(&offered, lang))
    }

    fn suggest(&self, candidates: &[&Candidate], lang: Lang) -> Vec<Suggestion> {
        candidates
            .iter()
            .take(MAX_SUGGESTIONS)
            .map(|c| Suggestion::fact(&self.knowledge.facts[c.fact], lang))
            .collect()
    }

    /// The reply a suggestion, a topic button or a deep link opens.
    pub fn open(&self, target: &Target, lang: Lang) -> Option<Reply> {
        let k = &self.knowledge;
        let reply = match target {
            Target::Fact(id) => answer::fact_reply(k, k.fact(id)?, lang, 1.0),
            Target::Topic(id) => answer::topic_reply(k, k.topic(id)?, lang, 1.0),
        };
        Some(fit(reply))
    }

    /// Facts matching a short query, best first, for inline mode.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&crate::knowledge::Fact> {
        let ranking = self.matcher.rank(capped(query));
        ranking
            .candidates
            .iter()
            .filter(|c| c.score >= SUGGEST_AT)
            .take(limit)
            .map(|c| &self.knowledge.facts[c.fact])
            .collect()
    }
}

/// What a question asks for, as the not-in-factsheet reply names it.
fn asked_noun(attribute: Attribute, lang: Lang) -> &'static str {
    use Attribute::*;
    let [en, hans, hant] = match attribute {
        When => ["that date", "这个日期", "呢個日期"],
        Count | Users => ["that number", "这个数字", "呢個數字"],
        Money => ["that amount", "这笔金额", "呢筆金額"],
        Amount => ["that figure", "这个数字", "呢個數字"],
        Area => ["that size", "这个面积", "呢個面積"],
        Share | Ratio => ["that proportion", "这个比例", "呢個比例"],
        Duration => ["that length of time", "这段时间", "呢段時間"],
        Place => ["that place", "这个地点", "呢個地點"],
        Who => ["who that is", "负责的人或机构", "負責嘅人或機構"],
        Name | Which => ["those names", "这些名称", "呢啲名稱"],
        What | YesNo | Overview => ["that", "这方面的资料", "呢方面嘅資料"],
    };
    match lang {
        Lang::En => en,
        Lang::ZhHans => hans,
        Lang::ZhHant => hant,
    }
}

/// The years a question asks about, as the reply names them.
fn years_asked(frame: &crate::frame::Frame, lang: Lang) -> String {
    if let Some(start) = frame.financial_year {
        let end = (start + 1) % 100;
        return match lang {
            Lang::En => format!("the {start}-{end:02} financial year"),
            _ => format!("{start}/{end:02}年度"),
        };
    }
    if frame.years.is_empty() {
        return match lang {
            Lang::En => "that period",
            Lang::ZhHans => "该时期",
            Lang::ZhHant => "嗰段時期",
        }
        .to_string();
    }
    // A year asked with its month is named with it ("May 2025").
    let years: Vec<String> = frame
        .years
        .iter()
        .map(|y| {
            let month = frame.months.iter().find(|(my, _)| my == y).map(|(_, m)| *m);
            match (lang, month) {
                (Lang::En, Some(m)) => {
                    format!("{} {y}", crate::numbers::MONTHS[usize::from(m - 1)])
                }
                (Lang::En, None) => y.to_string(),
                (_, Some(m)) => format!("{y}年{m}月"),
                (_, None) => format!("{y}年"),
            }
        })
        .collect();
    years.join(if lang == Lang::En { " and " } else { "及" })
}

/// Keeps a reply under Telegram's message limit, cutting the body at a line.
fn fit(mut reply: Reply) -> Reply {
    let overhead: usize = reply
        .sources
        .iter()
        .map(|s| answer::source_sentence(s, reply.lang).chars().count() + 2)
        .sum::<usize>()
        + reply
            .suggestions
            .iter()
            .map(|s| s.title.chars().count() + 3)
            .sum::<usize>()
        + 16;
    let room = MAX_REPLY_CHARS.saturating_sub(overhead);
    if reply.body.chars().count() > room {
        let cut: String = reply.body.chars().take(room.saturating_sub(1)).collect();
        let at_line = cut.rfind('\n').filter(|&i| i > 0).unwrap_or(cut.len());
        reply.body = format!("{}…", &cut[..at_line]);
    }
    reply
}
