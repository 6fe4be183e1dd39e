#!/usr/bin/env bash
# The main job: the seed-001 suite (scaled sizes) on an embedded local cluster, one fresh cluster per scenario.
# Prints one table; writes suite.json and suite.md under runs/. Pass --full for the seed's sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
F="node dist/src/cli/main.js"
trap '$F heal --all >/dev/null 2>&1 || true; $F cluster down >/dev/null 2>&1 || true' EXIT
$F cluster down >/dev/null
$F suite scenarios/kafka "$@"
