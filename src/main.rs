//! The `itdq` command: files, terminals, rendering and exit codes around the itdq library.

mod alloc;
mod cli;

#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            if cli::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("itdq: error: {err:#}");
            ExitCode::from(cli::EXIT_BAD_INPUT)
        }
    }
}
