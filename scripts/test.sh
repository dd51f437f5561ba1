#!/usr/bin/env bash
# The whole test suite: format and lint gates, then unit, snapshot, loopback (built-in
# emulator), moto and end-to-end tests. Installs what the tests need on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
# Tests talk only to 127.0.0.1; never to instance metadata.
export AWS_EC2_METADATA_DISABLED=true
# moto, the independent Step Functions peer, lives in a local virtualenv.
if ! .venv/bin/moto_server --help > /dev/null 2>&1; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check 'moto[server]'
fi
export UNSTICK_MOTO_SERVER="$PWD/.venv/bin/moto_server"
# boto3 (installed with moto) drives the emulator as a client nobody here wrote.
export UNSTICK_PYTHON="$PWD/.venv/bin/python"
# Format and lints first: a change that fails them does not land.
cargo fmt --all --check
cargo clippy --locked --workspace --all-targets -- -D warnings
# --include-ignored: the moto suite is ignored in a plain `cargo test` (it needs moto).
cargo test --locked --workspace -- --include-ignored
