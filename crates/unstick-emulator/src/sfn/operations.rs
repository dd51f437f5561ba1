//! The Step Functions operations the emulator answers, with their request shapes as the
//! API model states them and the token bucket AWS publishes for each.

use crate::limits::Rate;
use crate::limits::step_functions as published;
use crate::pages::PageRule;
use crate::service::{Operation, Quota};
use crate::shape::{Kind, Member, PRINTABLE, text};

const ARN: Kind = text(1, 256);
const LONG_ARN: Kind = text(1, 2000);
/// 0 to 1,000; absent or 0 means the default page of 100.
const MAX_RESULTS: Member = Member::optional("maxResults", Kind::Number { min: 0, max: 1000 });
const NEXT_TOKEN: Member = Member::optional("nextToken", text(1, 1024));
const INCLUDED_DATA: Member =
    Member::optional("includedData", Kind::Choice(&["ALL_DATA", "METADATA_ONLY"]));
const PAGES: Option<PageRule> = Some(PageRule { default: 100 });

pub const EXECUTION_STATUSES: &[&str] = &[
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "TIMED_OUT",
    "ABORTED",
    "PENDING_REDRIVE",
];

const fn operation(
    name: &'static str,
    input: &'static [Member],
    pages: Option<PageRule>,
    (largest, elsewhere): (Rate, Rate),
) -> Operation {
    Operation {
        name,
        input,
        pages,
        quota: Quota::Published { largest, elsewhere },
    }
}

pub static TABLE: &[Operation] = &[
    operation(
        "ListStateMachines",
        &[MAX_RESULTS, NEXT_TOKEN],
        PAGES,
        published::LIST_STATE_MACHINES,
    ),
    operation(
        "DescribeStateMachine",
        &[Member::required("stateMachineArn", ARN), INCLUDED_DATA],
        None,
        published::DESCRIBE_STATE_MACHINE,
    ),
    operation(
        "ListExecutions",
        &[
            Member::optional("stateMachineArn", ARN),
            Member::optional("statusFilter", Kind::Choice(EXECUTION_STATUSES)),
            MAX_RESULTS,
            Member::optional("nextToken", text(1, 3096)),
            Member::optional("mapRunArn", LONG_ARN),
            Member::optional("redriveFilter", Kind::Choice(&["REDRIVEN", "NOT_REDRIVEN"])),
        ],
        PAGES,
        published::LIST_EXECUTIONS,
    ),
    operation(
        "DescribeExecution",
        &[Member::required("executionArn", ARN), INCLUDED_DATA],
        None,
        published::DESCRIBE_EXECUTION,
    ),
    operation(
        "GetExecutionHistory",
        &[
            Member::required("executionArn", ARN),
            MAX_RESULTS,
            Member::optional("reverseOrder", Kind::Flag),
            NEXT_TOKEN,
            Member::optional("includeExecutionData", Kind::Flag),
        ],
        PAGES,
        published::GET_EXECUTION_HISTORY,
    ),
    operation(
        "RedriveExecution",
        &[
            Member::required("executionArn", ARN),
            Member::optional(
                "clientToken",
                Kind::Text {
                    min: 1,
                    max: 64,
                    pattern: Some(PRINTABLE),
                },
            ),
        ],
        None,
        published::REDRIVE_EXECUTION,
    ),
    operation(
        "ListMapRuns",
        &[
            Member::required("executionArn", ARN),
            MAX_RESULTS,
            NEXT_TOKEN,
        ],
        PAGES,
        published::LIST_MAP_RUNS,
    ),
    operation(
        "DescribeMapRun",
        &[Member::required("mapRunArn", LONG_ARN)],
        None,
        published::DESCRIBE_MAP_RUN,
    ),
];
