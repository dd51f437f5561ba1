//! The modules form layers (docs/ARCHITECTURE.md): each may use only those listed for
//! it, so no arrow runs back up. This reads the sources and holds them to the table.

use std::collections::BTreeSet;
use std::path::Path;

/// Each module, and the modules of ours it may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("terminal", &[]),
    ("paths", &[]),
    ("cli", &["terminal"]),
    ("eligibility", &["model"]),
    ("aws", &["model", "eligibility"]),
    ("audit", &["aws", "paths"]),
    ("action", &["aws", "model", "eligibility"]),
    ("poller", &["action", "model"]),
    ("keymap", &["action"]),
    ("config", &["keymap", "model", "terminal", "action"]),
    ("paging", &["action", "aws", "model", "poller"]),
    (
        "app",
        &["action", "aws", "eligibility", "keymap", "model", "poller"],
    ),
    (
        "runner",
        &["action", "audit", "aws", "model", "paging", "poller"],
    ),
    (
        "ui",
        &[
            "action",
            "app",
            "eligibility",
            "keymap",
            "model",
            "terminal",
        ],
    ),
    (
        "report",
        &[
            "action",
            "app",
            "aws",
            "eligibility",
            "model",
            "poller",
            "runner",
            "terminal",
        ],
    ),
];

fn sources(module: &str) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let file = src.join(format!("{module}.rs"));
    if file.exists() {
        return vec![std::fs::read_to_string(file).unwrap()];
    }
    let mut texts = Vec::new();
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    texts
}

/// The modules of ours a source names as `crate::name`.
fn used(text: &str) -> BTreeSet<String> {
    text.match_indices("crate::")
        .map(|(at, _)| {
            text[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn no_module_uses_one_above_it() {
    let mut wrong = Vec::new();
    for (module, allowed) in ALLOWED {
        let texts = sources(module);
        assert!(!texts.is_empty(), "no sources for {module}");
        for name in texts.iter().flat_map(|text| used(text)) {
            if name != *module && !allowed.contains(&name.as_str()) {
                wrong.push(format!("{module} uses {name}"));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "arrows that run back up: {wrong:?}");
}

#[test]
fn finds_every_module_a_source_names() {
    let text = "use crate::model::Tracked;\nfn f() { crate::aws::timestamp(); }";
    let names: Vec<String> = used(text).into_iter().collect();
    assert_eq!(names, vec!["aws", "model"]);
    // And the real sources do name modules: the table is not checking nothing.
    assert!(
        sources("app")
            .iter()
            .any(|t| used(t).contains("eligibility"))
    );
}
