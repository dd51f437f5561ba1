//! Each AWS adapter against the built-in emulator over loopback, through the real SDK.

#[path = "../common/mod.rs"]
mod common;

mod codepipeline;
mod report;
mod sfn;
mod switch;
mod why;
