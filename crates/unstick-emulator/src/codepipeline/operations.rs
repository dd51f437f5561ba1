//! The CodePipeline operations the emulator answers, with their request shapes as the
//! API model states them. CodePipeline publishes no per-API rates: every operation
//! draws on one bucket for the service (sized by the emulator's options).

use crate::pages::PageRule;
use crate::service::{Operation, Quota};
use crate::shape::{CODEPIPELINE_NAME, Kind, Member, UUID};

const NAME: Kind = Kind::Text {
    min: 1,
    max: 100,
    pattern: Some(CODEPIPELINE_NAME),
};
const EXECUTION_ID: Kind = Kind::Text {
    min: 0,
    max: usize::MAX,
    pattern: Some(UUID),
};
const NEXT_TOKEN: Member = Member::optional("nextToken", crate::shape::text(1, 2048));
/// ListPipelineExecutions and ListActionExecutions: 1 to 100, 100 when absent.
const MAX_RESULTS: Member = Member::optional("maxResults", Kind::Number { min: 1, max: 100 });
const DEFAULT_PAGE: Option<PageRule> = Some(PageRule { default: 100 });

const fn operation(
    name: &'static str,
    input: &'static [Member],
    pages: Option<PageRule>,
) -> Operation {
    Operation {
        name,
        input,
        pages,
        quota: Quota::Service,
    }
}

pub static TABLE: &[Operation] = &[
    operation(
        "ListPipelines",
        &[
            NEXT_TOKEN,
            Member::optional("maxResults", Kind::Number { min: 1, max: 1000 }),
        ],
        DEFAULT_PAGE,
    ),
    operation("GetPipelineState", &[Member::required("name", NAME)], None),
    operation(
        "GetPipeline",
        &[
            Member::required("name", NAME),
            Member::optional(
                "version",
                Kind::Number {
                    min: 1,
                    max: i64::MAX,
                },
            ),
        ],
        None,
    ),
    operation(
        "ListPipelineExecutions",
        &[
            Member::required("pipelineName", NAME),
            MAX_RESULTS,
            Member::optional(
                "filter",
                Kind::Structure(&[Member::optional(
                    "succeededInStage",
                    Kind::Structure(&[Member::optional("stageName", NAME)]),
                )]),
            ),
            NEXT_TOKEN,
        ],
        DEFAULT_PAGE,
    ),
    operation(
        "GetPipelineExecution",
        &[
            Member::required("pipelineName", NAME),
            Member::required("pipelineExecutionId", EXECUTION_ID),
        ],
        None,
    ),
    operation(
        "ListActionExecutions",
        &[
            Member::required("pipelineName", NAME),
            Member::optional(
                "filter",
                Kind::Structure(&[
                    Member::optional("pipelineExecutionId", EXECUTION_ID),
                    Member::optional(
                        "latestInPipelineExecution",
                        Kind::Structure(&[
                            Member::required("pipelineExecutionId", EXECUTION_ID),
                            Member::required("startTimeRange", Kind::Choice(&["Latest", "All"])),
                        ]),
                    ),
                ]),
            ),
            MAX_RESULTS,
            NEXT_TOKEN,
        ],
        DEFAULT_PAGE,
    ),
    operation(
        "RetryStageExecution",
        &[
            Member::required("pipelineName", NAME),
            Member::required("stageName", NAME),
            Member::required("pipelineExecutionId", EXECUTION_ID),
            Member::required(
                "retryMode",
                Kind::Choice(&["FAILED_ACTIONS", "ALL_ACTIONS"]),
            ),
        ],
        None,
    ),
];
