#!/usr/bin/env bash
# The whole test suite: unit, snapshot, loopback (built-in emulator) and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# Tests talk only to 127.0.0.1; never to instance metadata.
export AWS_EC2_METADATA_DISABLED=true
cargo test --locked
