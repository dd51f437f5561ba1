//! CodeBuild's reads, and the replies that answer them.

use super::Quota;
use crate::model::Build;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BuildRead {
    /// BatchGetBuilds of one build, by id (`project:uuid`).
    Build(String),
}

impl BuildRead {
    pub fn describe(&self) -> String {
        match self {
            Self::Build(id) => format!("Build {id}"),
        }
    }

    pub fn operation(&self) -> (&'static str, Option<String>) {
        match self {
            Self::Build(id) => ("BatchGetBuilds", Some(id.clone())),
        }
    }

    pub fn quota(&self) -> Quota {
        Quota::CodeBuild
    }
}

#[derive(Debug, Clone)]
pub enum BuildReply {
    /// Boxed: a build is large next to the other replies.
    Build { id: String, build: Box<Build> },
}

impl BuildReply {
    pub fn read(&self) -> BuildRead {
        match self {
            Self::Build { id, .. } => BuildRead::Build(id.clone()),
        }
    }
}
