//! The log a Node.js project's integration-test build writes, line by line, as CodeBuild
//! would: the agent's `[Container]` lines around each phase, `npm ci`, lint, then Jest's
//! verbose report of a few dozen suites, with one failing test when the build fails.

use jiff::Timestamp;

use super::phases::{FAILING_PHASE, PHASES, at};

const AREAS: &[&str] = &[
    "cart",
    "checkout",
    "catalog",
    "payments",
    "accounts",
    "search",
    "shipping",
    "promotions",
];
const SUBJECTS: &[&str] = &[
    "adds an item",
    "removes an item",
    "keeps the basket across sessions",
    "applies a voucher",
    "refuses an expired voucher",
    "lists the newest first",
    "pages through results",
    "answers 404 for an unknown id",
    "retries a timed-out call once",
    "validates the postcode",
    "computes delivery dates",
];

/// The test that fails in a failing build, and what its assertion says.
const FAILING_TEST: &str = "rounds the VAT on mixed-rate baskets";

/// The build's lines, each with the time it was written.
pub fn lines(
    project: &str,
    source_dir: &str,
    start: Timestamp,
    end: Timestamp,
    failure: Option<&str>,
) -> Vec<(Timestamp, String)> {
    let mut rng = fastrand::Rng::with_seed(project.bytes().map(u64::from).sum());
    let mut out: Vec<(f64, String)> = Vec::new();
    let container = |share: f64, text: &str| (share, format!("[Container] {{at}} {text}"));
    out.push(container(0.10, "Running on CodeBuild On-demand"));
    out.push(container(0.10, "Waiting for agent ping"));
    out.push(container(0.10, "Waiting for DOWNLOAD_SOURCE"));
    out.push(container(0.11, "Phase is DOWNLOAD_SOURCE"));
    out.push(container(0.11, &format!("CODEBUILD_SRC_DIR={source_dir}")));
    out.push(container(
        0.11,
        &format!("YAML location is {source_dir}/buildspec.yml"),
    ));
    out.push(container(0.12, "Processing environment variables"));
    out.push(container(0.12, "No runtime version selected in buildspec."));
    out.push(container(
        0.12,
        &format!("Moving to directory {source_dir}"),
    ));
    out.push(container(0.12, "Phases found in YAML: 3"));
    out.push(container(0.12, " INSTALL: 1 commands"));
    out.push(container(0.12, " PRE_BUILD: 1 commands"));
    out.push(container(0.12, " BUILD: 1 commands"));
    out.push(container(
        0.13,
        "Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED",
    ));
    out.push(container(0.13, "Phase context status code:  Message: "));
    out.push(container(0.13, "Entering phase INSTALL"));
    out.push(container(0.13, "Running command npm ci"));
    for (share, line) in [
        (
            0.20,
            "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
        ),
        (
            0.22,
            "npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported",
        ),
        (0.35, ""),
        (
            0.35,
            "added 1287 packages, and audited 1288 packages in 38s",
        ),
        (0.35, ""),
        (0.35, "187 packages are looking for funding"),
        (0.35, "  run `npm fund` for details"),
        (0.35, ""),
        (0.36, "found 0 vulnerabilities"),
    ] {
        out.push((share, line.to_string()));
    }
    out.push(container(0.38, "Phase complete: INSTALL State: SUCCEEDED"));
    out.push(container(0.38, "Phase context status code:  Message: "));
    out.push(container(0.38, "Entering phase PRE_BUILD"));
    out.push(container(0.38, "Running command npm run lint"));
    out.push((0.39, String::new()));
    out.push((0.39, format!("> {project}@4.12.0 lint")));
    out.push((0.39, "> eslint src test --max-warnings 0".into()));
    out.push((0.41, String::new()));
    out.push(container(
        0.42,
        "Phase complete: PRE_BUILD State: SUCCEEDED",
    ));
    out.push(container(0.42, "Phase context status code:  Message: "));
    out.push(container(0.42, "Entering phase BUILD"));
    out.push(container(0.42, "Running command npm run test:integration"));
    out.push((0.42, String::new()));
    out.push((0.42, format!("> {project}@4.12.0 test:integration")));
    out.push((
        0.42,
        "> jest --config jest.integration.config.js --runInBand --verbose".into(),
    ));
    out.push((0.42, String::new()));
    let suites = 42;
    let failing_suite = failure.map(|_| rng.usize(5..suites - 5));
    let (mut passed, mut failed) = (0, 0);
    for suite in 0..suites {
        let share = 0.43 + 0.5 * suite as f64 / suites as f64;
        let fails = failing_suite == Some(suite);
        let (area, name) = if fails {
            ("checkout", "totals".to_string())
        } else {
            (AREAS[suite % AREAS.len()], suite_name(suite))
        };
        let file = format!("test/integration/{area}/{name}.test.ts");
        let seconds = 0.8 + rng.f64() * 4.0;
        let verdict = if fails { "FAIL" } else { "PASS" };
        out.push((share, format!("{verdict} {file} ({seconds:.2} s)")));
        out.push((share, format!("  {area} {name}")));
        let tests = 3 + rng.usize(0..4);
        for test in 0..tests {
            let failing = fails && test == 1;
            let subject = if failing {
                FAILING_TEST
            } else {
                SUBJECTS[(suite * 7 + test * 3) % SUBJECTS.len()]
            };
            let ms = 12 + rng.u32(0..900);
            if failing {
                failed += 1;
                out.push((share, format!("    ✕ {subject} ({ms} ms)")));
            } else {
                passed += 1;
                out.push((share, format!("    ✓ {subject} ({ms} ms)")));
            }
        }
        if fails {
            for line in [
                String::new(),
                format!("  ● {area} {name} › {FAILING_TEST}"),
                String::new(),
                "    expect(received).toBe(expected) // Object.is equality".into(),
                String::new(),
                "    Expected: 2143".into(),
                "    Received: 2142".into(),
                String::new(),
                "      40 |     const basket = await fixtures.mixedRateBasket();".into(),
                "      41 |     const total = await totals(basket);".into(),
                "    > 42 |     expect(total.vatCents).toBe(2143);".into(),
                "         |                            ^".into(),
                "      43 |   });".into(),
                String::new(),
                format!("      at Object.<anonymous> ({file}:42:28)"),
                String::new(),
            ] {
                out.push((share, line));
            }
        }
    }
    let total = passed + failed;
    let summary_at = 0.94;
    let suites_line = if failed > 0 {
        format!(
            "Test Suites: 1 failed, {} passed, {suites} total",
            suites - 1
        )
    } else {
        format!("Test Suites: {suites} passed, {suites} total")
    };
    let tests_line = if failed > 0 {
        format!("Tests:       {failed} failed, {passed} passed, {total} total")
    } else {
        format!("Tests:       {passed} passed, {total} total")
    };
    for line in [
        String::new(),
        suites_line,
        tests_line,
        "Snapshots:   0 total".into(),
        format!("Time:        {:.3} s", 40.0 + rng.f64() * 30.0),
        "Ran all test suites.".into(),
    ] {
        out.push((summary_at, line));
    }
    match failure {
        Some(message) => {
            out.push(container(
                0.95,
                "Command did not exit successfully npm run test:integration exit status 1",
            ));
            out.push(container(
                0.95,
                &format!("Phase complete: {FAILING_PHASE} State: FAILED"),
            ));
            out.push(container(
                0.95,
                &format!("Phase context status code: COMMAND_EXECUTION_ERROR Message: {message}"),
            ));
        }
        None => {
            out.push(container(0.95, "Phase complete: BUILD State: SUCCEEDED"));
            out.push(container(0.95, "Phase context status code:  Message: "));
        }
    }
    for (phase, share) in PHASES.iter().skip_while(|(p, _)| *p != "POST_BUILD") {
        if *phase == "COMPLETED" {
            break;
        }
        out.push(container(*share, &format!("Entering phase {phase}")));
        if *phase == "UPLOAD_ARTIFACTS" {
            out.push(container(*share, "Expanding base directory path: ."));
            out.push(container(*share, "Assembling file list"));
            out.push(container(*share, "Found 3 file(s)"));
        }
        out.push(container(
            *share,
            &format!("Phase complete: {phase} State: SUCCEEDED"),
        ));
        out.push(container(*share, "Phase context status code:  Message: "));
    }
    // Lines written in the same instant keep their order a millisecond apart.
    let mut last = start;
    out.into_iter()
        .map(|(share, text)| {
            let when = at(start, end, share).max(last + jiff::SignedDuration::from_millis(1));
            last = when;
            let stamp = when.strftime("%Y/%m/%d %H:%M:%S%.6f").to_string();
            // CodeBuild sends each line with its newline, so a blank line is not empty.
            (when, format!("{}\n", text.replace("{at}", &stamp)))
        })
        .collect()
}

fn suite_name(index: usize) -> String {
    const NAMES: &[&str] = &[
        "basket",
        "totals",
        "vouchers",
        "session",
        "listing",
        "paging",
        "lookup",
        "retries",
        "addresses",
        "delivery",
        "refunds",
        "webhooks",
    ];
    format!("{}-{}", NAMES[index % NAMES.len()], index / NAMES.len() + 1)
}
