//! The real binary: run as a command (`report`, bad input) and in a pseudo-terminal.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod e2e;
