//! factbot answers questions about Hong Kong's innovation, technology and
//! industry with sourced figures. The core (knowledge, normalisation,
//! matching, answers) knows nothing of Telegram; the Telegram front, the
//! announcer and the CLI are thin layers over it. See ARCHITECTURE.md.

pub mod announce;
pub mod answer;
pub mod cli;
pub mod conversation;
pub mod engine;
pub mod eval;
pub mod frame;
pub mod knowledge;
pub mod lang;
pub mod matcher;
pub mod normalize;
pub mod numbers;
pub mod script;
pub mod store;
pub mod telegram;
pub mod usage;

pub use cli::run;
pub use engine::Engine;
