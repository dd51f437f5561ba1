//! The CloudWatch Logs operations the emulator answers, with their request shapes as the
//! API model states them. AWS publishes a rate for each per account and region:
//! GetLogEvents 25 per second, FilterLogEvents 5 (the service quotas page).

use crate::limits::logs as published;
use crate::service::{Operation, Quota};
use crate::shape::{Kind, Member, text};

const GROUP_NAME: Member = Member::optional("logGroupName", text(1, 512));
const GROUP_IDENTIFIER: Member = Member::optional("logGroupIdentifier", text(1, 2048));
const STREAM_NAME: Kind = text(1, 512);
const TIME: Kind = Kind::Number {
    min: 0,
    max: i64::MAX,
};
const LIMIT: Member = Member::optional(
    "limit",
    Kind::Number {
        min: 1,
        max: 10_000,
    },
);
const NEXT_TOKEN: Member = Member::optional("nextToken", text(1, usize::MAX));

pub static TABLE: &[Operation] = &[
    Operation {
        name: "GetLogEvents",
        input: &[
            GROUP_NAME,
            GROUP_IDENTIFIER,
            Member::required("logStreamName", STREAM_NAME),
            Member::optional("startTime", TIME),
            Member::optional("endTime", TIME),
            NEXT_TOKEN,
            LIMIT,
            Member::optional("startFromHead", Kind::Flag),
            Member::optional("unmask", Kind::Flag),
        ],
        pages: None,
        quota: Quota::Published {
            largest: published::GET_LOG_EVENTS,
            elsewhere: published::GET_LOG_EVENTS,
        },
    },
    Operation {
        name: "FilterLogEvents",
        input: &[
            GROUP_NAME,
            GROUP_IDENTIFIER,
            Member::optional(
                "logStreamNames",
                Kind::List {
                    min: 1,
                    max: 100,
                    item: &STREAM_NAME,
                },
            ),
            Member::optional("logStreamNamePrefix", STREAM_NAME),
            Member::optional("startTime", TIME),
            Member::optional("endTime", TIME),
            Member::optional("filterPattern", text(0, 1024)),
            NEXT_TOKEN,
            LIMIT,
            Member::optional("interleaved", Kind::Flag),
            Member::optional("unmask", Kind::Flag),
        ],
        pages: None,
        quota: Quota::Published {
            largest: published::FILTER_LOG_EVENTS,
            elsewhere: published::FILTER_LOG_EVENTS,
        },
    },
];
