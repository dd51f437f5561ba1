//! `App::update` driven by keys and replies, judged by the commands it emits.

#[path = "../common/mod.rs"]
mod common;

mod commands;
mod control;
mod pipelines;
mod sfn;
mod why;
