//! unstick: a terminal dashboard for the engineer on call when deployments break.

pub mod action;
pub mod app;
pub mod audit;
pub mod aws;
pub mod cli;
pub mod config;
pub mod eligibility;
/// The built-in AWS emulator, its own crate: `--demo`, `unstick emulator` and the tests.
pub use unstick_emulator as emulator;
pub mod keymap;
pub mod model;
pub mod paging;
pub mod paths;
pub mod poller;
pub mod report;
pub mod runner;
pub mod terminal;
pub mod tui;
pub mod ui;

#[cfg(test)]
mod layers;
