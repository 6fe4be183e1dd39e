#!/usr/bin/env bash
# The main job: a 3-node KRaft cluster, a replicated topic, its description, then down again.
set -euo pipefail
cd "$(dirname "$0")/.."
F="node dist/src/cli/main.js"
trap '$F cluster down >/dev/null 2>&1 || true' EXIT
$F cluster down >/dev/null
$F cluster up
$F topic create demo --partitions 3 --replication-factor 3 --config min.insync.replicas=2
$F topic describe demo
$F offsets demo
