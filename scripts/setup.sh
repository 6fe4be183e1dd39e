#!/usr/bin/env bash
# Installs everything faultline needs on a fresh Debian machine, idempotently:
# system packages (iptables, iproute2, build deps of the Kafka client, chromium for the report test, kcat and shellcheck for
# the example job, openssh-server for the SSH transport's tests), npm packages, the build,
# and the Kafka jars from Maven Central. Safe to run again; a warm machine takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v iptables >/dev/null 2>&1 || need_apt+=(iptables)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
# javac too: the build compiles the Java degraded-link proxy for SSH hosts (scripts/build-java.mjs).
{ command -v java && command -v javac; } >/dev/null 2>&1 || need_apt+=(default-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
dpkg -s libzstd-dev >/dev/null 2>&1 || need_apt+=(libzstd-dev)
dpkg -s libssl-dev >/dev/null 2>&1 || need_apt+=(libssl-dev)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need_apt+=(zlib1g-dev)
# Headless Chromium opens report.html in a unit test (test/unit/report/html-browser.test.ts).
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# kcat (1.7.x) runs the black-box example job jobs/kcat-pipe/job.sh (docs/pipelines.md); shellcheck lints it in a unit
# test (test/unit/job/kcat-job.test.ts).
command -v kcat >/dev/null 2>&1 || need_apt+=(kcat)
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck)
# The SSH transport's tests (test/unit/ssh/) start their own sshd on 127.0.0.1 at a free high port; they never use the
# system's ssh service (which Debian enables on systemd machines when it installs the package).
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} with apt-get"
  if [ "$(id -u)" -ne 0 ]; then echo "setup: need root to install ${need_apt[*]}" >&2; exit 3; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The Kafka client builds its bundled librdkafka against system libraries: its prebuilt-binary
# download cannot reach GitHub from here (see docs/installation.md).
export CKJS_LINKING=dynamic
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
stamp=node_modules/.faultline-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages (the Kafka client builds natively, about 90 s)"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
if [ ! -f node_modules/@confluentinc/kafka-javascript/build/Release/confluent-kafka-javascript.node ]; then
  echo "setup: building the Kafka client's native addon"
  npm rebuild @confluentinc/kafka-javascript --loglevel=error
fi

npm run --silent build
chmod +x dist/src/cli/main.js

# Kafka jars (cached per version under ~/.cache/faultline/kafka): the default 4.x and 3.9.x for ZooKeeper mode.
node dist/src/cli/main.js cluster fetch --kafka-version 4.3.1 >/dev/null
node dist/src/cli/main.js cluster fetch --kafka-version 3.9.2 >/dev/null

# The reference pipeline jobs (docs/pipelines.md), each rebuilt only when its sources are newer than what it built.
# `mvn package` runs a job's unit tests (a few seconds); the output goes to a log shown on failure.
build_job() { # <dir> <built file> <what>
  local dir=$1 built=$1/target/$2 what=$3 log
  if [ -f "$built" ] && [ -z "$(find "$dir/pom.xml" "$dir/src" -newer "$built" -print -quit)" ]; then return 0; fi
  echo "setup: building the $what reference job with Maven (a minute or two on a clean machine)"
  log=$(mktemp)
  if ! (cd "$dir" && mvn -q -B package) >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "setup: the $what job did not build (full log: $log)" >&2
    exit 3
  fi
  rm -f "$log"
}
build_job jobs/kafka-streams faultline-streams-job.jar "Kafka Streams"
# Spark: the job's jar plus its dependencies in target/lib (about 290 MB from Maven Central).
build_job jobs/spark-streaming faultline-spark-job.jar "Spark Structured Streaming"
echo "setup: ready"
