#!/usr/bin/env bash
# kcat-pipe: a black-box pipeline job for faultline, in plain bash around kcat (Debian package `kcat`, 1.7.x).
# It is the worked example of docs/pipelines.md ("Put your own job under test") and implements the job contract:
#
#   FAULTLINE_INPUT_TOPIC, read as consumer group FAULTLINE_APP_ID (kcat -G, the balanced consumer)
#     value a decimal id (`17`)  -> FAULTLINE_OUTPUT_TOPIC: same key, value `<id>:<keyCount>`
#     anything else (`!17`)       -> FAULTLINE_DLQ_TOPIC: key and value unchanged, headers faultline.source.topic,
#                                    faultline.source.partition, faultline.source.offset, faultline.error
#
# keyCount is a per-key count kept in FAULTLINE_STATE_DIR/key-counts (appended per record, loaded and compacted at
# start), so a `state-delete` fault resets it.
#
# Guarantee: at-least-once at best, and not even that on a kill. kcat's consumer stores each record's offset when it
# hands the record over and commits stored offsets every second, whatever this script has done with it: records
# handed over before the last commit and still in the pipe, in this loop or in the producer's queue when the job is
# killed are never written (lost), and records written since the last commit are read again after a restart
# (duplicates). A graceful stop (SIGTERM) drains the pipe and flushes the producer first: nothing is lost then.
# FAULTLINE_GUARANTEE=exactly-once is refused (kcat cannot commit input offsets in a producer transaction).
#
# Processes: one consumer (its stdout piped into this loop), one output producer (fed by a pipe, in its own session
# so that the SIGTERM faultline sends to the job's process group does not make it drop what is still in its pipe:
# this script closes the pipe once the consumer has stopped, and the producer flushes and exits), and one short kcat
# run per dead letter (kcat -P takes headers only on its command line; one run takes about 0.15 s, so a job with many
# poison records falls behind its input). The consumer runs until the job is stopped: that is the job's nature. Every
# other wait is bounded. A kill (SIGKILL to the process group) leaves the producer, in its own session, to flush what
# it read and exit at its input's end, unless faultline kills it first (it kills whatever carries its job marker); a
# pause (SIGSTOP to the group) stops the consumer and this loop but not the producer, which then has nothing to send.
#
# kcat 1.7.1 (Debian's) reads a producer's input with fread() of 1024 bytes: a line is sent only once 1024 bytes (or
# the end of input) arrived. So every output record is padded with newlines to a multiple of 1024 bytes; kcat skips
# the empty lines. Without the padding the last records of a run would wait in kcat's buffer until the job stops, and a
# kill would lose up to 1 KB of records whose offsets were committed. (kcat's main branch polls its input instead;
# the padding is harmless there.)
#
# Standard output: a banner and `FAULTLINE-STATE RUNNING` / `REBALANCING` when the consumer is assigned its
# partitions / has them revoked (from kcat's rebalance messages). kcat's own messages go to standard error.
# Exit codes: 0 after SIGTERM/SIGINT once both kcat processes ended; 1 when the consumer ends on its own (an error),
# when a dead letter cannot be written, or when the producer reports failed deliveries; 2 for a missing or invalid
# FAULTLINE_* variable (before anything connects); 3 when kcat is not installed or the state directory is unusable.
set -uo pipefail
export LC_ALL=C # lengths in bytes (the producer padding)

readonly JOB=kcat-pipe
readonly COUNTS_FILE=key-counts
# How long stopping may take in all (the consumer leaves its group, the producer flushes) before what is left is
# killed: within faultline's 30 s grace before it kills the job.
readonly STOP_TIMEOUT_S=25
readonly PRODUCER_MESSAGE_TIMEOUT_MS=20000
readonly DLQ_MESSAGE_TIMEOUT_MS=10000
readonly DLQ_ATTEMPTS=3
readonly MAX_ID=9223372036854775807 # ids are signed 64-bit values, as in the reference job
readonly REQUIRED=(FAULTLINE_BOOTSTRAP FAULTLINE_INPUT_TOPIC FAULTLINE_OUTPUT_TOPIC FAULTLINE_DLQ_TOPIC FAULTLINE_APP_ID FAULTLINE_STATE_DIR)
readonly TAB=$'\t'
readonly FRAME_BYTES=1024 # kcat 1.7.1's producer input read size
printf -v NEWLINES '%*s' "$FRAME_BYTES" ''
readonly NEWLINES=${NEWLINES// /$'\n'}

refuse() {
  echo "$JOB: $*" >&2
  exit 2
}

check_environment() {
  local name missing=()
  for name in "${REQUIRED[@]}"; do
    [ -n "${!name:-}" ] || missing+=("$name")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    printf -v name '%s, ' "${missing[@]}"
    refuse "missing required environment variable(s): ${name%, } (docs/pipelines.md, 'The job contract')"
  fi
  local guarantee=${FAULTLINE_GUARANTEE:-at-least-once}
  [ "$guarantee" = at-least-once ] || refuse "FAULTLINE_GUARANTEE '$guarantee' is not supported: kcat has no transactions, this job claims at-least-once only"
  local params=("${!FAULTLINE_PARAM_@}")
  [ ${#params[@]} -eq 0 ] || refuse "unknown parameter(s) ${params[*]}: this job takes none"
  if ! command -v kcat >/dev/null 2>&1; then
    echo "$JOB: kcat not found on PATH (install the Debian package kcat; scripts/setup.sh does)" >&2
    exit 3
  fi
}

# --- per-key counts: FAULTLINE_STATE_DIR/key-counts, lines `<key><TAB><count>`, the last line of a key wins ---
declare -A counts=()
counts_fd=

load_counts() {
  local file=$1 key n
  [ -f "$file" ] || return 0
  while IFS= read -r key; do
    n=${key##*"$TAB"}
    key=${key%"$TAB"*}
    [[ -n $key && $n =~ ^[0-9]{1,18}$ ]] && counts[$key]=$n
  done <"$file"
}

# Loads the counts, rewrites the file with one line per key, and keeps it open for appending.
open_counts() {
  local dir=$FAULTLINE_STATE_DIR file key
  mkdir -p "$dir" || exit 3
  file=$dir/$COUNTS_FILE
  load_counts "$file"
  for key in "${!counts[@]}"; do printf '%s\t%s\n' "$key" "${counts[$key]}"; done >"$file.tmp" && mv "$file.tmp" "$file" || exit 3
  exec {counts_fd}>>"$file"
}

# --- kcat processes ---
kafka_settings=()
consumer_pid=
watcher_pid=
producer_pid=
producer_fd=
input_fd=

common_settings() {
  kafka_settings=(-b "$FAULTLINE_BOOTSTRAP" -E -X client.id="$JOB-$FAULTLINE_APP_ID" -X socket.timeout.ms=10000)
}

start_producer() {
  exec {producer_fd}> >(exec setsid kcat -P "${kafka_settings[@]}" -t "$FAULTLINE_OUTPUT_TOPIC" -K "$TAB" \
    -X acks=all -X enable.idempotence=true -X linger.ms=5 -X partitioner=murmur2_random \
    -X message.timeout.ms=$PRODUCER_MESSAGE_TIMEOUT_MS {counts_fd}>&-)
  producer_pid=$!
}

# Copies the consumer's messages to stderr; its rebalance lines become FAULTLINE-STATE lines on stdout. It ends when
# the consumer's stderr closes; it ignores SIGTERM so that the consumer's last words are kept.
watch_consumer_log() {
  local line
  trap '' TERM INT
  while IFS= read -r line; do
    printf '%s\n' "$line" >&2
    case $line in
      *rebalanced*'assigned:'*) echo 'FAULTLINE-STATE RUNNING' ;;
      *rebalanced*'revoked:'*) echo 'FAULTLINE-STATE REBALANCING' ;;
    esac
  done
}

start_consumer() {
  local log_fd
  exec {log_fd}> >(exec {producer_fd}>&- {counts_fd}>&-; watch_consumer_log)
  watcher_pid=$!
  exec {input_fd}< <(exec kcat -G "$FAULTLINE_APP_ID" "${kafka_settings[@]}" -u -f '%t\t%p\t%o\t%k\t%s\n' \
    -X auto.offset.reset=earliest -X auto.commit.interval.ms=1000 \
    -X session.timeout.ms=10000 -X heartbeat.interval.ms=3000 \
    "$FAULTLINE_INPUT_TOPIC" 2>&"$log_fd" {log_fd}>&- {producer_fd}>&- {counts_fd}>&-)
  consumer_pid=$!
  exec {log_fd}>&-
}

# Waits for a child to end, until stop_deadline (in $SECONDS), then SIGKILLs it; returns its exit status.
stop_deadline=0
await_child() {
  local pid=$1
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < stop_deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$JOB: pid $pid did not stop within $STOP_TIMEOUT_S s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
}

# --- records ---
# Sets `id` to the value in canonical form (no leading zeros); fails when the value is not a non-negative decimal id
# (1 to 19 digits, at most MAX_ID). No subshell: this runs once per record.
id=
parse_id() {
  local value=$1
  [[ $value =~ ^[0-9]{1,19}$ ]] || return 1
  id=${value#"${value%%[!0]*}"}
  id=${id:-0}
  # shellcheck disable=SC2071 # a string comparison on purpose: both have 19 digits, too many for bash arithmetic
  ((${#id} < 19)) || [[ ! $id > $MAX_ID ]]
}

# One dead letter: key and value unchanged, provenance headers; a few bounded attempts, then the job fails.
write_dead_letter() {
  local topic=$1 partition=$2 offset=$3 key=$4 value=$5 error=$6 attempt
  for ((attempt = 1; attempt <= DLQ_ATTEMPTS; attempt++)); do
    if printf '%s\t%s\n' "$key" "$value" | setsid kcat -P "${kafka_settings[@]}" -t "$FAULTLINE_DLQ_TOPIC" -K "$TAB" -Z \
      -X acks=all -X partitioner=murmur2_random -X message.timeout.ms=$DLQ_MESSAGE_TIMEOUT_MS \
      -H "faultline.source.topic=$topic" -H "faultline.source.partition=$partition" \
      -H "faultline.source.offset=$offset" -H "faultline.error=$error" \
      {input_fd}<&- {producer_fd}>&- {counts_fd}>&-; then
      return 0
    fi
    echo "$JOB: dead letter $topic/$partition@$offset not written (attempt $attempt of $DLQ_ATTEMPTS)" >&2
    ((stopping == 0)) || break # stopping: no more attempts (faultline kills the job after 30 s)
  done
  return 1
}

# One consumer line: `<topic>\t<partition>\t<offset>\t<key>\t<value>` (an absent key or value is empty).
# Fails when the record could not be handed on (a dead letter not written, the producer's pipe broken).
process_line() {
  local line=$1 topic partition offset key value n record
  topic=${line%%"$TAB"*} && line=${line#*"$TAB"}
  partition=${line%%"$TAB"*} && line=${line#*"$TAB"}
  offset=${line%%"$TAB"*} && line=${line#*"$TAB"}
  key=${line%%"$TAB"*} && value=${line#*"$TAB"}
  if [ -z "$key" ]; then
    write_dead_letter "$topic" "$partition" "$offset" "$key" "$value" 'record has no key'
  elif ! parse_id "$value"; then
    write_dead_letter "$topic" "$partition" "$offset" "$key" "$value" "value '$value' is not a non-negative decimal id"
  else
    n=$((${counts[$key]:-0} + 1))
    counts[$key]=$n
    printf '%s\t%s\n' "$key" "$n" >&"$counts_fd" || return 1
    record=$key$TAB$id:$n$'\n'
    printf '%s%s' "$record" "${NEWLINES:0:(FRAME_BYTES - ${#record} % FRAME_BYTES) % FRAME_BYTES}" >&"$producer_fd"
  fi
}

# --- stop ---
stopping=0

on_stop_signal() {
  stopping=1
  [ -n "$consumer_pid" ] && kill -TERM "$consumer_pid" 2>/dev/null
}

# Reads the consumer's lines until it closes its output (it stops on SIGTERM); returns 1 when a line failed.
consume() {
  local line
  while IFS= read -r -u "$input_fd" line; do
    process_line "$line" || return 1
  done
  return 0
}

# Stops the consumer (if it still runs), then closes the producer's pipe and waits for it to flush; returns the
# job's exit status.
finish() {
  local consume_status=$1 consumer_status producer_status
  stop_deadline=$((SECONDS + STOP_TIMEOUT_S))
  kill -TERM "$consumer_pid" 2>/dev/null
  await_child "$consumer_pid"
  consumer_status=$?
  await_child "$watcher_pid"
  exec {input_fd}<&- {producer_fd}>&-
  await_child "$producer_pid"
  producer_status=$?
  exec {counts_fd}>&-
  echo "$JOB: stopped (consumer exit $consumer_status, producer exit $producer_status)" >&2
  if ((consume_status != 0)); then
    echo "$JOB: a record could not be handed on: stopped with an error" >&2
  elif ((producer_status != 0)); then
    echo "$JOB: the output producer reported failed deliveries" >&2
  elif ((stopping == 0)); then
    echo "$JOB: the consumer ended on its own" >&2
  else
    return 0
  fi
  return 1
}

main() {
  trap on_stop_signal TERM INT
  trap '' PIPE # a broken pipe to the producer fails the write (and so the job) instead of killing this shell
  check_environment
  open_counts
  common_settings
  echo "$JOB $(kcat -V 2>/dev/null | sed -n 's/^Version \([^ ]*\).*/\1/p') version=${FAULTLINE_JOB_VERSION:-unversioned}" \
    "appId=$FAULTLINE_APP_ID guarantee=at-least-once input=$FAULTLINE_INPUT_TOPIC output=$FAULTLINE_OUTPUT_TOPIC dlq=$FAULTLINE_DLQ_TOPIC" \
    "keys=${#counts[@]}"
  start_producer
  start_consumer
  ((stopping == 0)) || kill -TERM "$consumer_pid" 2>/dev/null # a signal that came before the consumer started
  consume
  finish $?
}

main "$@"
