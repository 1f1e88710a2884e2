use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    factbot::run(factbot::cli::Cli::parse())
}
