//! Forgiving typing. English: a word the knowledge does not know is read
//! as the known word one or two edits away that starts as it does
//! ("sceince" → science; "ground" is not "round"), and two
//! words that the knowledge writes as one are joined ("cyber port"), and
//! two run together are split ("sharedblockchain") where no word is near.
//! Chinese: a character the knowledge never writes, beside one it does,
//! is the homophone that makes them a pair it writes (项木 → 项目, 陪训 →
//! 培训): the input method offered the wrong one. (A pair of characters it
//! knows is left alone: across words, most pairs are new to it.) Names get the
//! same forgiveness over their whole length in `subjects`. Digits are
//! never corrected.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::sound::{sound, Sound};
use crate::normalize::{stem, Normalized};

/// Each part of a word split in two is at least this long: short known
/// words ("in", "it", "pro") make too many false splits.
const MIN_SPLIT: usize = 4;
/// Unless the parts make a name, each is at least this long: "highlight"
/// is not "high light".
const MIN_SPLIT_WORD: usize = 5;

pub struct Speller {
    /// Known words, sorted by length and then alphabetically, for
    /// correction; each with its bag of letters.
    words: Vec<(String, Bag)>,
    known: HashSet<String>,
    /// Words that follow one another in a name, as "science park".
    name_pairs: HashSet<String>,
    /// The words of names.
    name_words: HashSet<String>,
    /// The Chinese characters the knowledge and the lexicon write, each
    /// with the number of its sound; and the pairs of them they write.
    chars: HashMap<char, Option<u32>>,
    pairs: HashSet<(char, char)>,
    /// The sounds, numbered.
    sounds: HashMap<Sound, u32>,
    /// The known pairs by the numbers of their sounds.
    pairs_by_sound: HashMap<(u32, u32), Vec<(char, char)>>,
}

impl Speller {
    pub fn new(words: impl IntoIterator<Item = String>) -> Speller {
        let mut words: Vec<String> = words
            .into_iter()
            .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
            .collect();
        words.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        words.dedup();
        let known = words.iter().cloned().collect();
        Speller {
            words: words
                .into_iter()
                .map(|w| {
                    let bag = Bag::of(&w);
                    (w, bag)
                })
                .collect(),
            known,
            name_pairs: HashSet::default(),
            name_words: HashSet::default(),
            chars: HashMap::default(),
            pairs: HashSet::default(),
            sounds: HashMap::default(),
            pairs_by_sound: HashMap::default(),
        }
    }

    /// Adds the Chinese character pairs of `runs` (Simplified) as known.
    pub fn with_chinese<'a>(mut self, runs: impl IntoIterator<Item = &'a str>) -> Speller {
        // Each character's sound is looked up once: there are far fewer
        // characters than pairs.
        for run in runs {
            let chars: Vec<char> = run.chars().collect();
            for &c in &chars {
                if !self.chars.contains_key(&c) {
                    let next = self.sounds.len() as u32;
                    let id = sound(c).map(|s| *self.sounds.entry(s).or_insert(next));
                    self.chars.insert(c, id);
                }
            }
            for p in chars.windows(2) {
                let pair = (p[0], p[1]);
                if self.pairs.insert(pair) {
                    if let (Some(a), Some(b)) = (self.chars[&p[0]], self.chars[&p[1]]) {
                        self.pairs_by_sound.entry((a, b)).or_default().push(pair);
                    }
                }
            }
        }
        self
    }

    /// Adds the word sequences of names, which settle a typo between two
    /// words as near ("scince park" is Science Park, not "since park").
    pub fn with_names<'a>(mut self, names: impl IntoIterator<Item = &'a [String]>) -> Speller {
        for words in names {
            self.name_words.extend(words.iter().cloned());
            for p in words.windows(2) {
                self.name_pairs.insert(format!("{} {}", p[0], p[1]));
            }
        }
        self
    }

    /// The one known pair that a pair with an unknown character is a
    /// homophone slip of: the same sounds, the other character the same.
    fn correct_pair(&self, pair: (char, char)) -> Option<(char, char)> {
        if self.chars.contains_key(&pair.0) == self.chars.contains_key(&pair.1) {
            return None;
        }
        let id = |c: char| match self.chars.get(&c) {
            Some(known) => *known,
            None => self.sounds.get(&sound(c)?).copied(),
        };
        let mut near = self
            .pairs_by_sound
            .get(&(id(pair.0)?, id(pair.1)?))?
            .iter()
            .filter(|k| (k.0 == pair.0) != (k.1 == pair.1));
        match (near.next(), near.next()) {
            (Some(only), None) => Some(*only),
            _ => None,
        }
    }

    /// A run of Chinese with its homophone slips mended.
    fn mend_run(&self, run: &str) -> String {
        let mut chars: Vec<char> = run.chars().collect();
        for i in 1..chars.len() {
            if let Some((a, b)) = self.correct_pair((chars[i - 1], chars[i])) {
                chars[i - 1] = a;
                chars[i] = b;
            }
        }
        chars.into_iter().collect()
    }

    pub fn knows(&self, word: &str) -> bool {
        self.known.contains(word)
    }

    /// The known word closest to an unknown one, forgiving a typo or two;
    /// of words as close, one that makes a name with a word beside it,
    /// then the likeliest slip. A
    /// word of three letters is one edit from too many others to guess
    /// alone: it is read only as a word that completes a name ("Lok Ma
    /// Chau Lop" is the Loop).
    fn correct(&self, word: &str, before: Option<&str>, after: Option<&str>) -> Option<String> {
        if word.len() < 3 || self.knows(word) || word.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let short = word.len() < 4;
        let budget = if word.len() >= 7 { 2 } else { 1 };
        let in_name = |w: &str| {
            let pair = |a: &str, b: &str| self.name_pairs.contains(&format!("{a} {b}"));
            before.is_some_and(|b| pair(b, w)) || after.is_some_and(|a| pair(w, a))
        };
        // Only words of a near length, and of nearly the same letters, can
        // be near: most of the vocabulary is passed over without an edit
        // distance (one for every known word made unknown words slow).
        let from = self
            .words
            .partition_point(|(w, _)| w.len() + budget < word.len());
        let to = self
            .words
            .partition_point(|(w, _)| w.len() <= word.len() + budget);
        let bag = Bag::of(word);
        // Of slips as many edits away, two letters swapped (the same
        // letters) is likeliest, then one left out (a longer word):
        // "sqare" is "square", not "share"; "worht" is "worth", not "worst".
        let slip = |w: &str, letters_apart: usize| match (letters_apart, w.len() > word.len()) {
            (0, _) => 0,
            (_, true) => 1,
            _ => 2,
        };
        // People seldom slip on a word's first letter, and a word that is
        // another word without it is mostly a word of its own ("ground" is
        // not "round"): a slip keeps the first letter, or swaps the first two.
        let first_two = |w: &str| {
            let mut c = w.chars();
            (c.next(), c.next())
        };
        let (a, b) = first_two(word);
        let same_start = |w: &str| {
            let (x, y) = first_two(w);
            a == x || (a == y && b == x)
        };
        self.words[from..to]
            .iter()
            .map(|(w, b)| (w, b.distance(&bag)))
            .filter(|(_, apart)| *apart <= budget)
            .map(|(w, apart)| (strsim::damerau_levenshtein(w, word), w, apart))
            .filter(|(d, w, _)| *d <= budget && (!short || in_name(w)) && same_start(w))
            .min_by_key(|(d, w, apart)| (*d, !in_name(w), slip(w, *apart), w.len()))
            .map(|(_, w, _)| w.clone())
    }

    /// An unknown word that is two known ones run together, where the two
    /// make a name ("sharedblockchain") or are each a word of some length
    /// ("firstbatch"): the space left out. Of several ways to split it, a
    /// name's. (Words are known by their stems: "shared" is "shar".)
    fn split(&self, word: &str) -> Option<(String, String)> {
        if word.len() < 2 * MIN_SPLIT
            || self.knows(word)
            || word.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        let splits = (MIN_SPLIT..=word.len() - MIN_SPLIT)
            .filter(|&at| word.is_char_boundary(at))
            .map(|at| {
                let (a, b) = word.split_at(at);
                (stem(a), stem(b))
            })
            .filter(|(a, b)| self.knows(a) && self.knows(b));
        let mut found = None;
        for (a, b) in splits {
            if self.name_pairs.contains(&format!("{a} {b}")) {
                return Some((a, b));
            }
            if a.len() >= MIN_SPLIT_WORD && b.len() >= MIN_SPLIT_WORD {
                found.get_or_insert((a, b));
            }
        }
        found
    }

    /// The question with unknown words corrected and split names joined;
    /// `keep` says which words are fine as they are (stop words, lexicon words).
    pub fn mend(&self, n: &Normalized, keep: &dyn Fn(&str) -> bool) -> Normalized {
        let mut mended = n.clone();
        let mut words = Vec::with_capacity(n.words.len());
        // A name's words are without stop words: "Commitee on Innovation"
        // is next to "innovation".
        let filler = |w: &&String| keep(w) && !self.name_words.contains(*w);
        let mut i = 0;
        while i < n.words.len() {
            if let Some(next) = n.words.get(i + 1) {
                let joined = format!("{}{}", n.words[i], next);
                if self.knows(&joined) && !self.knows(&n.words[i]) {
                    words.push(joined);
                    i += 2;
                    continue;
                }
            }
            let w = &n.words[i];
            if keep(w) {
                words.push(w.clone());
            } else {
                let before = words.iter().rev().find(|w| !filler(w)).map(String::as_str);
                let after = n.words[i + 1..]
                    .iter()
                    .find(|w| !filler(w))
                    .map(String::as_str);
                match self.correct(w, before, after) {
                    Some(corrected) => words.push(corrected),
                    None => match self.split(w) {
                        Some((a, b)) => words.extend([a, b]),
                        None => words.push(w.clone()),
                    },
                }
            }
            i += 1;
        }
        mended.words = words;
        // Runs appear in the text in order: each is mended where it stands.
        let mut from = 0;
        for run in &mut mended.han_runs {
            let Some(at) = mended.text[from..].find(run.as_str()).map(|i| from + i) else {
                continue;
            };
            let fixed = self.mend_run(run);
            mended.text.replace_range(at..at + run.len(), &fixed);
            from = at + fixed.len();
            *run = fixed;
        }
        mended
    }
}

/// The letters of a word, counted by their low five bits: two words are
/// at least as many edits apart as their bags differ (a transposition
/// keeps the bag; any other edit changes it by one letter in or out).
/// Letters that share a count only make the bound lower.
#[derive(Clone, Copy)]
struct Bag([u8; 32]);

impl Bag {
    fn of(word: &str) -> Bag {
        let mut counts = [0u8; 32];
        for c in word.chars() {
            let slot = &mut counts[(c as usize) & 31];
            *slot = slot.saturating_add(1);
        }
        Bag(counts)
    }

    /// A lower bound of the edit distance between the two words.
    fn distance(&self, other: &Bag) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(&other.0) {
            if a > b {
                more += usize::from(a - b);
            } else {
                fewer += usize::from(b - a);
            }
        }
        more.max(fewer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    #[test]
    fn corrects_typos_and_joins_split_names() {
        // Words are compared as stems: "science" is "scienc".
        let s = Speller::new(["scienc", "cyberport", "park"].map(String::from));
        let m = s.mend(&normalize("sceince cyber port 2025"), &|_| false);
        assert_eq!(m.words, vec!["scienc", "cyberport", "2025"]);
        let kept = s.mend(&normalize("sciense"), &|w| w == "sciens");
        assert_eq!(kept.words, vec!["sciens"], "words to keep are kept");
    }

    #[test]
    fn splits_words_run_together() {
        // Words are known by their stems: "shared" is "shar".
        let words = [
            "shar",
            "blockchain",
            "platform",
            "first",
            "batch",
            "high",
            "light",
        ];
        let s =
            Speller::new(words.map(String::from)).with_names([["shar", "blockchain", "platform"]
                .map(String::from)
                .as_slice()]);
        let mended = |q: &str| s.mend(&normalize(q), &|_| false).words;
        assert_eq!(
            mended("sharedblockchain"),
            vec!["shar", "blockchain"],
            "a name's words"
        );
        assert_eq!(
            mended("firstbatch"),
            vec!["first", "batch"],
            "two long words"
        );
        assert_eq!(
            mended("highlight"),
            vec!["highlight"],
            "short parts that make no name"
        );
        assert_eq!(
            mended("blockchain"),
            vec!["blockchain"],
            "a known word stays whole"
        );
    }

    #[test]
    fn a_bag_never_says_words_are_further_apart_than_they_are() {
        let words = [
            "scienc",
            "sceinc",
            "scince",
            "sinc",
            "cyberport",
            "cybreport",
            "park",
            "prak",
            "pak",
            "ca",
            "abc",
            "innohk",
            "inohk",
            "港园",
            "港圆",
            "héllo",
            "hello",
        ];
        for a in words {
            for b in words {
                let bound = Bag::of(a).distance(&Bag::of(b));
                let edits = strsim::damerau_levenshtein(a, b);
                assert!(bound <= edits, "{a} {b}: bag {bound} > edits {edits}");
            }
        }
        assert_eq!(Bag::of("scienc").distance(&Bag::of("sceinc")), 0);
        assert_eq!(Bag::of("park").distance(&Bag::of("pak")), 1);
        assert_eq!(Bag::of("park").distance(&Bag::of("cyberport")), 7);
    }

    #[test]
    fn a_name_settles_a_typo_between_words_as_near() {
        let names = [vec!["chau".to_string(), "loop".to_string()]];
        let s = Speller::new(["chau", "look", "loop"].map(String::from))
            .with_names(names.iter().map(Vec::as_slice));
        // "loox" is one letter off both "look" and "loop".
        let m = s.mend(&normalize("chau loox"), &|_| false);
        assert_eq!(m.words, vec!["chau", "loop"]);
        let alone = s.mend(&normalize("loox"), &|_| false);
        assert_eq!(
            alone.words,
            vec!["look"],
            "with no name beside it, the first as near"
        );
    }

    #[test]
    fn of_words_as_near_two_letters_swapped_then_one_left_out_is_likeliest() {
        // Stems: "worst", "worth", "share" → "shar", "square" → "squar".
        let s = Speller::new(["worst", "worth", "shar", "squar"].map(String::from));
        let m = s.mend(&normalize("worht sqare"), &|_| false);
        assert_eq!(m.words, vec!["worth", "squar"]);
        let substituted = s.mend(&normalize("wortt"), &|_| false);
        assert_eq!(substituted.words, vec!["worst"], "else the first as near");
    }

    #[test]
    fn a_slip_keeps_the_first_letter_or_swaps_the_first_two() {
        // Stems: "round", "science" → "scienc".
        let s = Speller::new(["round", "scienc"].map(String::from));
        let m = s.mend(&normalize("ground csience"), &|_| false);
        assert_eq!(m.words, vec!["ground", "scienc"]);
        let slip = s.mend(&normalize("rounf"), &|_| false);
        assert_eq!(slip.words, vec!["round"]);
    }

    #[test]
    fn a_word_of_three_letters_is_read_only_as_completing_a_name() {
        let names = [vec!["chau".to_string(), "loop".to_string()]];
        let s = Speller::new(["chau", "loop", "lot"].map(String::from))
            .with_names(names.iter().map(Vec::as_slice));
        let m = s.mend(&normalize("chau lop"), &|_| false);
        assert_eq!(m.words, vec!["chau", "loop"]);
        let alone = s.mend(&normalize("lop"), &|_| false);
        assert_eq!(
            alone.words,
            vec!["lop"],
            "one edit from loop and lot: left alone"
        );
    }

    #[test]
    fn mends_chinese_homophone_slips_only_towards_one_known_pair() {
        let s = Speller::new(Vec::new()).with_chinese(["资助项目", "培训计划", "多少个"]);
        let m = s.mend(&normalize("资助多少个项木和陪训"), &|_| false);
        assert_eq!(m.han_runs, vec!["资助多少个项目和培训"]);
        assert_eq!(m.text, "资助多少个项目和培训");
        // Known characters stay, even in a pair the knowledge never writes
        // (助项 sounds like 助项 only); so does an unknown one with no
        // known pair to sound like (木目).
        let kept = s.mend(&normalize("项资助 木目"), &|_| false);
        assert_eq!(kept.text, "项资助 木目");
    }
}
