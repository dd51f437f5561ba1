"""Drives the emulator with boto3, a client written elsewhere, and holds every reply to
botocore's service models: each operation the emulator claims is called, every listing is
paged to its end, and each raw reply is checked member by member against the
operation's output shape (types, required members, enums, lengths, ranges, patterns, no
nulls and no members the model does not have). Errors must be ones the model declares.

usage: botocore_client.py ENDPOINT REGION OPERATIONS_JSON
OPERATIONS_JSON: [[service, operation], ...] as the emulator claims them.
"""

import json
import re
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT, REGION, CLAIMED = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])

# Errors any operation may answer whether or not its model lists them.
COMMON_ERRORS = {"ThrottlingException", "AccessDeniedException", "ValidationException"}

problems = []
answered = set()  # (service, operation) with at least one checked reply
calls = {}  # operation -> requests


def client(service, validate=True):
    made = boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(
            retries={"max_attempts": 1, "mode": "standard"},
            parameter_validation=validate,
        ),
    )
    made.meta.events.register("after-call.*.*", check_reply)
    return made


def check_reply(http_response, parsed, model, **_):
    """Holds a successful raw reply to the operation's output shape."""
    calls[model.name] = calls.get(model.name, 0) + 1
    if http_response.status_code >= 300:
        return
    service = model.service_model.service_name
    where = f"{service}.{model.name}"
    answered.add((service, model.name))
    shape = model.output_shape
    if shape is None:
        return
    if model.service_model.protocol in ("json",):
        body = json.loads(http_response.content or b"{}")
        check(shape, body, where)
    else:
        # awsQuery: botocore parsed the XML; hold what it found to the model.
        found = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
        check(shape, found, where)


def check(shape, value, path):
    if value is None:
        problems.append(f"{path}: null (AWS leaves absent members out)")
        return
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: {type(value).__name__}, not a structure")
            return
        for name in value:
            if name not in shape.members:
                problems.append(f"{path}.{name}: not a member of {shape.name}")
        for name in shape.required_members:
            if name not in value:
                problems.append(f"{path}.{name}: required by {shape.name}, missing")
        for name, member in value.items():
            if name in shape.members:
                check(shape.members[name], member, f"{path}.{name}")
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: not a list")
            return
        sized(len(value), meta, path, "items")
        for index, item in enumerate(value):
            check(shape.member, item, f"{path}[{index}]")
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: not a map")
            return
        for key, item in value.items():
            check(shape.key, key, f"{path}<key>")
            check(shape.value, item, f"{path}[{key}]")
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: {value!r} is not a string")
            return
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.enum}")
        sized(len(value), meta, path, "characters")
        pattern = meta.get("pattern")
        if pattern and not matches(pattern, value):
            problems.append(f"{path}: {value!r} breaks the pattern {pattern}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: {value!r} is not an integer")
            return
        if "min" in meta and value < meta["min"]:
            problems.append(f"{path}: {value} is below the minimum {meta['min']}")
        if "max" in meta and value > meta["max"]:
            problems.append(f"{path}: {value} is above the maximum {meta['max']}")
    elif kind in ("double", "float", "timestamp"):
        # The JSON protocols send timestamps as epoch seconds.
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            if not (kind == "timestamp" and hasattr(value, "isoformat")):
                problems.append(f"{path}: {value!r} is not a number")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: {value!r} is not a boolean")
    elif kind == "blob":
        if not isinstance(value, (str, bytes)):
            problems.append(f"{path}: not a blob")


def sized(length, meta, path, unit):
    if "min" in meta and length < meta["min"]:
        problems.append(f"{path}: {length} {unit}, fewer than {meta['min']}")
    if "max" in meta and length > meta["max"]:
        problems.append(f"{path}: {length} {unit}, more than {meta['max']}")


def matches(pattern, value):
    try:
        return re.fullmatch(pattern, value, re.DOTALL) is not None
    except re.error:
        return True  # A pattern Python cannot read is not held against the reply.


def expect_error(codes, call, *args, **kwargs):
    """Calls, and insists on an error whose code is one of `codes`."""
    try:
        call(*args, **kwargs)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code not in codes:
            problems.append(f"{call.__name__}: {code} where {codes} was expected")
        return code
    problems.append(f"{call.__name__}: answered where {codes} was expected")
    return None


def declared(service_client, operation, code):
    model = service_client.meta.service_model.operation_model(operation)
    return code in {shape.name for shape in model.error_shapes} | COMMON_ERRORS


def everything(paginator_name, service_client, key, page_size, **params):
    """Every item of a listing, paged to its end, in pages of `page_size`."""
    pages = service_client.get_paginator(paginator_name).paginate(
        PaginationConfig={"PageSize": page_size}, **params
    )
    items = []
    for page in pages:
        items.extend(page[key])
    return items


def codepipeline():
    cp = client("codepipeline")
    loose = client("codepipeline", validate=False)
    names = [p["name"] for p in everything("list_pipelines", cp, "pipelines", 2)]
    if len(names) != len({*names}):
        problems.append("ListPipelines: a pipeline listed twice across pages")
    unpaged = cp.list_pipelines()["pipelines"]
    if [p["name"] for p in unpaged] != names:
        problems.append("ListPipelines: pages of 2 disagree with one page")
    expect_error({"InvalidNextTokenException"}, cp.list_pipelines, nextToken="made-up")
    expect_error({"ValidationException"}, loose.list_pipelines, maxResults=5000)
    expect_error({"ValidationException"}, loose.get_pipeline_state, name="no spaces allowed")
    expect_error({"SerializationException"}, loose.list_pipelines, maxResults="ten")
    expect_error({"PipelineNotFoundException"}, cp.get_pipeline_state, name="no-such-pipeline")
    failed_stages = []
    for name in names:
        try:
            cp.get_pipeline(name=name)
            state = cp.get_pipeline_state(name=name)
            runs = everything(
                "list_pipeline_executions", cp, "pipelineExecutionSummaries", 1, pipelineName=name
            )
            for run in runs[:2]:
                cp.get_pipeline_execution(
                    pipelineName=name, pipelineExecutionId=run["pipelineExecutionId"]
                )
            everything("list_action_executions", cp, "actionExecutionDetails", 3, pipelineName=name)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code != "AccessDeniedException":
                problems.append(f"{name}: {code}: {error}")
            continue
        for stage in state["stageStates"]:
            for action in stage.get("actionStates", []):
                ran = action.get("latestExecution", {}).get("externalExecutionId", "")
                if ran and not ran.startswith("arn:"):
                    build_ids.append(ran)
            latest = stage.get("latestExecution", {})
            if latest.get("status") == "Failed":
                failed_stages.append((name, stage["stageName"], latest["pipelineExecutionId"]))
    expect_error(
        {"ValidationException"},
        loose.get_pipeline_execution,
        pipelineName=names[0],
        pipelineExecutionId="not-a-uuid",
    )
    for name, stage, run in failed_stages:
        try:
            cp.retry_stage_execution(
                pipelineName=name, stageName=stage, pipelineExecutionId=run, retryMode="FAILED_ACTIONS"
            )
            break
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if not declared(cp, "RetryStageExecution", code):
                problems.append(f"RetryStageExecution: undeclared {code}")


def stepfunctions():
    sfn = client("stepfunctions")
    loose = client("stepfunctions", validate=False)
    machines = everything("list_state_machines", sfn, "stateMachines", 1)
    expect_error({"InvalidToken"}, sfn.list_state_machines, nextToken="made-up")
    expect_error({"ValidationException"}, loose.list_state_machines, maxResults=1001)
    redrivable = []
    map_runs = []
    for machine in machines:
        arn = machine["stateMachineArn"]
        sfn.describe_state_machine(stateMachineArn=arn)
        if machine["type"] == "EXPRESS":
            expect_error({"StateMachineTypeNotSupported"}, sfn.list_executions, stateMachineArn=arn)
            continue
        try:
            executions = everything("list_executions", sfn, "executions", 2, stateMachineArn=arn)
        except ClientError as error:
            if error.response["Error"]["Code"] != "AccessDeniedException":
                problems.append(f"ListExecutions {arn}: {error}")
            continue
        default_page = sfn.list_executions(stateMachineArn=arn)["executions"]
        if len(default_page) != min(len(executions), 100):
            problems.append(f"ListExecutions: a default page of {len(default_page)}, not 100")
        expect_error(
            {"ValidationException"}, loose.list_executions, stateMachineArn=arn, statusFilter="BROKEN"
        )
        expect_error(
            {"ValidationException"}, sfn.list_executions, stateMachineArn=arn, statusFilter="PENDING_REDRIVE"
        )
        for execution in executions:
            execution_arn = execution["executionArn"]
            try:
                described = sfn.describe_execution(executionArn=execution_arn)
                events = everything(
                    "get_execution_history", sfn, "events", 1000, executionArn=execution_arn
                )
            except ClientError as error:
                if error.response["Error"]["Code"] != "AccessDeniedException":
                    problems.append(f"{execution_arn}: {error}")
                continue
            first = sfn.get_execution_history(executionArn=execution_arn, maxResults=0)["events"]
            if len(first) != min(len(events), 100):
                problems.append(f"GetExecutionHistory: maxResults 0 gave {len(first)}, not 100")
            bare = sfn.get_execution_history(
                executionArn=execution_arn, includeExecutionData=False, maxResults=1000
            )["events"]
            for event in bare:
                for key, details in event.items():
                    if key.endswith("EventDetails") and {"input", "output"} & set(details):
                        problems.append(f"includeExecutionData=false still sent data in {key}")
            if described.get("redriveStatus") == "REDRIVABLE":
                redrivable.append(execution_arn)
            runs = everything("list_map_runs", sfn, "mapRuns", 1, executionArn=execution_arn)
            map_runs.extend(run["mapRunArn"] for run in runs)
    expect_error({"InvalidToken"}, sfn.get_execution_history, executionArn=redrivable[0], nextToken="x")
    for map_run in map_runs:
        described = sfn.describe_map_run(mapRunArn=map_run)
        children = everything("list_executions", sfn, "executions", 1000, mapRunArn=map_run)
        total = described["executionCounts"]["total"]
        if len(children) != total:
            problems.append(f"ListExecutions by Map Run: {len(children)} children of {total}")
        pending = everything(
            "list_executions", sfn, "executions", 1000, mapRunArn=map_run, statusFilter="PENDING_REDRIVE"
        )
        if len(pending) != described["executionCounts"]["pendingRedrive"]:
            problems.append(f"PENDING_REDRIVE: {len(pending)} children, not {described['executionCounts']['pendingRedrive']}")
        expect_error(
            {"ValidationException"},
            sfn.list_executions,
            mapRunArn=map_run,
            stateMachineArn=machines[0]["stateMachineArn"],
        )
    if not map_runs:
        problems.append("no Map Run to list the child executions of")
    for execution_arn in redrivable:
        try:
            sfn.redrive_execution(executionArn=execution_arn, clientToken="botocore-check")
            break
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if not declared(sfn, "RedriveExecution", code):
                problems.append(f"RedriveExecution: undeclared {code}")


build_ids = []  # what CodeBuild actions ran, from the pipelines' states


def codebuild_and_logs():
    cb = client("codebuild")
    loose = client("codebuild", validate=False)
    logs = client("logs")
    if not build_ids:
        problems.append("CodeBuild: no pipeline action names a build")
        return
    reply = cb.batch_get_builds(ids=build_ids + ["nosuch:00000000-0000-0000-0000-000000000000"])
    if len(reply["buildsNotFound"]) != 1:
        problems.append(f"BatchGetBuilds: buildsNotFound {reply['buildsNotFound']}")
    expect_error({"ValidationException"}, loose.batch_get_builds, ids=[f"p:{n}" for n in range(101)])
    streams = [b["logs"] for b in reply["builds"] if "streamName" in b.get("logs", {})]
    if not streams:
        problems.append("BatchGetBuilds: no build names its log stream")
        return
    where = {"logGroupName": streams[0]["groupName"], "logStreamName": streams[0]["streamName"]}
    # The newest page first, then backwards until the same token comes back.
    newest = logs.get_log_events(limit=50, **where)
    lines = newest["events"]
    token = newest["nextBackwardToken"]
    while True:
        page = logs.get_log_events(limit=50, nextToken=token, **where)
        lines = page["events"] + lines
        if page["nextBackwardToken"] == token:
            break
        token = page["nextBackwardToken"]
    from_head = []
    token = None
    while True:
        extra = {"nextToken": token} if token else {"startFromHead": True}
        page = logs.get_log_events(limit=70, **extra, **where)
        from_head += page["events"]
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    if [e["message"] for e in lines] != [e["message"] for e in from_head] or len(lines) < 100:
        problems.append(f"GetLogEvents: {len(lines)} lines backwards, {len(from_head)} forwards")
    expect_error({"ResourceNotFoundException"}, logs.get_log_events,
                 logGroupName=where["logGroupName"], logStreamName="no-such-stream")
    expect_error({"InvalidParameterException"}, logs.get_log_events, nextToken="made-up", **where)
    found = everything("filter_log_events", logs, "events", 3,
                       logGroupName="/aws/lambda/charge-card",
                       filterPattern='"7d9c1f0e-2b3a-4c5d-8e9f-0a1b2c3d4e5f"')
    if len(found) < 4 or not all("7d9c1f0e" in e["message"] for e in found):
        problems.append(f"FilterLogEvents: {len(found)} lines of the failed invocation")
    expect_error({"ResourceNotFoundException"}, logs.filter_log_events, logGroupName="/aws/lambda/nosuch")


def sts():
    identity = client("sts").get_caller_identity()
    if not identity["Account"].isdigit():
        problems.append(f"GetCallerIdentity: account {identity['Account']!r}")


def the_checks_can_fail():
    """The checker finds what it must find, or every pass below means nothing."""
    model = client("codepipeline")
    shape = model.meta.service_model.operation_model("ListPipelines").output_shape
    check(shape, {"pipelines": [{"name": None, "version": "7", "bogus": 1}]}, "self-test")
    found = len(problems)
    problems.clear()
    if found != 3:
        sys.exit(f"the reply checker found {found} of 3 planted problems")


the_checks_can_fail()
codepipeline()
stepfunctions()
codebuild_and_logs()
sts()

missing = {tuple(pair) for pair in CLAIMED} - answered
for service, operation in sorted(missing):
    problems.append(f"{service}.{operation}: claimed, but never answered successfully")
print(
    f"{sum(calls.values())} requests, {len(answered)} operations answered and checked "
    f"against botocore's models: {json.dumps(calls, sort_keys=True)}"
)
if problems:
    print(f"{len(problems)} problems:")
    for problem in problems[:200]:
        print(" -", problem)
    sys.exit(1)
