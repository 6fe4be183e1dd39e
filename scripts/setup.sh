#!/usr/bin/env bash
# Installs everything faultline needs on a fresh Debian machine, idempotently:
# system packages (iptables, iproute2, build deps of the Kafka client, chromium for the report test, kcat and shellcheck for
# the example job), npm packages, the build,
# and the Kafka jars from Maven Central. Safe to run again; a warm machine takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v iptables >/dev/null 2>&1 || need_apt+=(iptables)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
command -v java >/dev/null 2>&1 || need_apt+=(default-jdk-headless)
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

# The reference pipeline job (docs/pipelines.md): one runnable jar, rebuilt only when its sources are newer.
# `mvn package` runs the job's unit tests (TopologyTestDriver, a few seconds); the output goes to a log shown on failure.
streams_job_dir=jobs/kafka-streams
streams_job_jar=$streams_job_dir/target/faultline-streams-job.jar
if [ ! -f "$streams_job_jar" ] || [ -n "$(find "$streams_job_dir/pom.xml" "$streams_job_dir/src" -newer "$streams_job_jar" -print -quit)" ]; then
  echo "setup: building the Kafka Streams reference job with Maven (about a minute on a clean machine)"
  streams_job_log=$(mktemp)
  if ! (cd "$streams_job_dir" && mvn -q -B package) >"$streams_job_log" 2>&1; then
    tail -n 60 "$streams_job_log" >&2
    echo "setup: the Kafka Streams job did not build (full log: $streams_job_log)" >&2
    exit 3
  fi
  rm -f "$streams_job_log"
fi
echo "setup: ready"
