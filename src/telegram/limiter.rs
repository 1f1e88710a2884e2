//! A per-user limit on questions, so one person cannot flood a group or
//! the bot: a sliding window of recent question times per user.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Limiter {
    per_window: usize,
    window: Duration,
    seen: Mutex<HashMap<u64, VecDeque<Instant>>>,
}

/// What to do with a user's question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Answer,
    /// Over the limit: tell the user once, then stay quiet until the window passes.
    Warn,
    Ignore,
}

impl Limiter {
    pub fn new(per_window: usize, window: Duration) -> Limiter {
        Limiter {
            per_window,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, user: u64, now: Instant) -> Verdict {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        // Forget users idle for a whole window, so the map stays small.
        seen.retain(|_, times| {
            times
                .back()
                .is_some_and(|t| now.duration_since(*t) < self.window)
        });
        let times = seen.entry(user).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        times.push_back(now);
        match times.len() {
            n if n <= self.per_window => Verdict::Answer,
            n if n == self.per_window + 1 => Verdict::Warn,
            _ => Verdict::Ignore,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_once_then_ignores_until_the_window_passes() {
        let limiter = Limiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert_eq!(limiter.check(1, t0), Verdict::Answer);
        assert_eq!(limiter.check(1, t0), Verdict::Answer);
        assert_eq!(limiter.check(1, t0), Verdict::Warn);
        assert_eq!(limiter.check(1, t0), Verdict::Ignore);
        assert_eq!(
            limiter.check(2, t0),
            Verdict::Answer,
            "other users are not affected"
        );
        assert_eq!(
            limiter.check(1, t0 + Duration::from_secs(61)),
            Verdict::Answer
        );
    }
}
