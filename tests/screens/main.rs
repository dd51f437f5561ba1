//! What a person sees, as text snapshots of every screen at 80×24 and 160×48.

#[path = "../common/mod.rs"]
mod common;

mod hyperlinks;
mod idle;
mod looks;
mod pipelines;
mod sfn;
mod why;
