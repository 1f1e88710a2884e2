use std::process::ExitCode;

use clap::Parser;

// Answering a question allocates many small strings and building the index
// many more; mimalloc does it in a fraction of the system allocator's time
// (README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    factbot::run(factbot::cli::Cli::parse())
}
