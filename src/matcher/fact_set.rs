//! A set of facts by index: what a posting list holds, asked of every
//! candidate fact in constant time instead of by a search of the list.

/// The facts of a posting list, one bit each.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FactSet {
    words: Vec<u64>,
}

impl FactSet {
    /// The facts a posting list (in fact order) holds.
    pub fn of_posting(list: &[(usize, f32)]) -> Self {
        let len = list.last().map_or(0, |&(fact, _)| fact / 64 + 1);
        let mut set = FactSet {
            words: vec![0; len],
        };
        for &(fact, _) in list {
            set.insert(fact);
        }
        set
    }

    pub fn insert(&mut self, fact: usize) {
        if self.words.len() <= fact / 64 {
            self.words.resize(fact / 64 + 1, 0);
        }
        self.words[fact / 64] |= 1 << (fact % 64);
    }

    /// Adds the facts of another set.
    pub fn extend(&mut self, other: &FactSet) {
        if self.words.len() < other.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (word, more) in self.words.iter_mut().zip(&other.words) {
            *word |= more;
        }
    }

    pub fn contains(&self, fact: usize) -> bool {
        self.words
            .get(fact / 64)
            .is_some_and(|word| word & (1 << (fact % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_the_list_holds_and_nothing_else() {
        let set = FactSet::of_posting(&[(0, 1.0), (63, 0.5), (64, 0.5), (200, 1.0)]);
        let held: Vec<usize> = (0..300).filter(|&f| set.contains(f)).collect();
        assert_eq!(held, [0, 63, 64, 200]);
        assert!(!FactSet::of_posting(&[]).contains(0));
    }

    #[test]
    fn grows_to_hold_what_is_added() {
        let mut set = FactSet::of_posting(&[(3, 1.0)]);
        set.insert(130);
        set.extend(&FactSet::of_posting(&[(70, 1.0), (500, 1.0)]));
        let held: Vec<usize> = (0..600).filter(|&f| set.contains(f)).collect();
        assert_eq!(held, [3, 70, 130, 500]);
    }
}
