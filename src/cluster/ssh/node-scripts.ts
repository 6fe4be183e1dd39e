/**
 * The shell scripts the SSH provider runs on a host, each as `sh -c SCRIPT NAME ARGS...`: every value arrives
 * as a positional parameter, never inside the script text. They prove a pid is still the node's by the marker
 * argument in /proc/PID/cmdline (a reused pid is not the node), and read a zombie as gone.
 */

/**
 * state_of: alive, paused or dead for pid $1 with marker $2: one grep (cmdline holds the marker as one NUL-separated
 * argument) and the state letter read with shell built-ins (after the last ") " of /proc/PID/stat); stat_state: the
 * letter alone, for a pid already proven the node's (a pid is not reused within the milliseconds of a wait).
 */
const NODE_STATE = `
node_state() {
  state_of "$1" "$2"; echo "$ns"
}
state_of() {
  ns=dead
  grep -qzxF -- "$2" "/proc/$1/cmdline" 2>/dev/null || return 0
  stat_state "$1"
}
stat_state() {
  ns=dead
  IFS= read -r stat < "/proc/$1/stat" 2>/dev/null || return 0
  s=\${stat##*) }; s=\${s%% *}
  case $s in T|t) ns=paused ;; Z|X|'') ns=dead ;; *) ns=alive ;; esac
}`;

/**
 * $1 pid, $2 marker: prints "STATE PID". When the recorded pid is not the node's, looks for a java process with
 * the marker (a self-expiring undo on the host may have started the node again under a new pid).
 */
const FIND_NODE = `
find_node() {
  np=$1; state_of "$1" "$2"
  [ "$ns" = dead ] || return 0
  for f in $(grep -lzxF -- "$2" /proc/[0-9]*/cmdline 2>/dev/null); do
    p=\${f#/proc/}; p=\${p%/cmdline}
    IFS= read -r comm < "/proc/$p/comm" 2>/dev/null || continue
    [ "$comm" = java ] || continue
    state_of "$p" "$2"; [ "$ns" = dead ] || { np=$p; return 0; }
  done
  ns=dead; np=$1
}`;

/** $1 pid, $2 marker: "alive|paused|dead PID" (the pid the node runs under now). */
export const OBSERVE_SCRIPT = `${NODE_STATE}${FIND_NODE}
find_node "$1" "$2"; echo "$ns $np"`;

/**
 * Bound on a signal taking effect: SIGNAL_POLLS x SIGNAL_POLL_S seconds. The first SIGNAL_SPIN_POLLS polls do
 * not sleep: a poll is shell built-ins only (the state letter of the pid proven the node's just before the
 * signal), so a JVM that stops or dies within a millisecond or two is seen without a fork of sleep.
 */
const SIGNAL_POLLS = 2500;
const SIGNAL_SPIN_POLLS = 20;
const SIGNAL_POLL_S = 0.002;

/** A terminate's grace is counted in polls of this many ms (a poll sleeps that long; its own cost adds ~5%). */
export const SIGNAL_GRACE_POLL_MS = 100;

/** Polls of SIGNAL_GRACE_POLL_MS covering at least `graceMs` (the SIGNAL_SCRIPT's $4 for terminate). */
export function gracePolls(graceMs: number): number {
  return Math.max(1, Math.ceil(graceMs / SIGNAL_GRACE_POLL_MS));
}

/**
 * $1 pid, $2 marker, $3 kill|terminate|pause|resume, $4 for terminate: the grace before SIGKILL in polls of
 * SIGNAL_GRACE_POLL_MS (`gracePolls`). Sends the signal to the node's process (found by its marker when the pid is
 * stale) and waits, bounded, until it took effect. Prints: absent (not the node's process), killed, terminated,
 * paused, resumed, running (resume of a process that was not stopped), or stuck.
 */
export const SIGNAL_SCRIPT = `${NODE_STATE}${FIND_NODE}
marker=$2; action=$3; grace=\${4:-0}
find_node "$1" "$marker"; state=$ns; pid=$np
[ "$state" != dead ] || { echo absent; exit 0; }
wait_for() {
  n=0
  while [ $n -lt "$2" ]; do
    stat_state "$pid"; [ "$ns" = "$1" ] && return 0
    [ $n -lt ${SIGNAL_SPIN_POLLS} ] || sleep ${SIGNAL_POLL_S}; n=$((n + 1))
  done
  return 1
}
wait_grace() {
  wait_for dead ${SIGNAL_SPIN_POLLS} && return 0
  n=0
  while [ $n -lt "$1" ]; do
    stat_state "$pid"; [ "$ns" = dead ] && return 0
    sleep ${SIGNAL_GRACE_POLL_MS / 1000}; n=$((n + 1))
  done
  return 1
}
case $action in
  kill) kill -s KILL "$pid"; wait_for dead ${SIGNAL_POLLS} && echo killed || echo stuck ;;
  terminate)
    kill -s CONT "$pid"; kill -s TERM "$pid"
    if wait_grace "$grace"; then echo terminated; else kill -s KILL "$pid"; wait_for dead ${SIGNAL_POLLS} && echo killed || echo stuck; fi ;;
  pause) kill -s STOP "$pid"; wait_for paused ${SIGNAL_POLLS} && echo paused || echo stuck ;;
  resume)
    [ "$state" = paused ] || { kill -s CONT "$pid"; echo running; exit 0; }
    kill -s CONT "$pid"; wait_for alive ${SIGNAL_POLLS} && echo resumed || echo stuck ;;
esac`;

/**
 * $1 node dir, $2 log file, $3... the command. Starts it detached from the ssh session (nohup, every descriptor
 * redirected, so ssh does not wait for it) and prints its pid: nohup execs the command, so $! is the JVM.
 */
export const START_SCRIPT = `set -eu
cd "$1"; log=$2; shift 2
mkdir -p "$(dirname "$log")"
nohup "$@" >>"$log" 2>&1 </dev/null &
echo $!`;

/**
 * $1 pid, $2 marker, $3 log, $4 byte offset, $5 extended regex (case-insensitive), $6 polls of 100 ms, optionally
 * $7 a second file (where the process's output goes, when not its log) with $8 its byte offset, and $9 polls during
 * which no process with the marker does not yet count as exited (a start command may start it a moment later).
 * Waits until the log or that file, from the offsets, shows the started line. Prints "started PID" (the pid the node
 * runs under: a start script may have forked), exited or timeout.
 */
export const WAIT_STARTED_SCRIPT = `${NODE_STATE}${FIND_NODE}
pid=$1; marker=$2; log=$3; offset=$4; pattern=$5; polls=$6; out=\${7:-$3}; outset=\${8:-$4}; grace=\${9:-0}
n=0
while [ $n -lt "$polls" ]; do
  find_node "$pid" "$marker"
  if { tail -c +$((offset + 1)) "$log"; tail -c +$((outset + 1)) "$out"; } 2>/dev/null | grep -Eqi -- "$pattern"; then
    echo "started $np"; exit 0
  fi
  [ "$ns" != dead ] || [ $n -lt "$grace" ] || { echo exited; exit 0; }
  [ "$ns" = dead ] || pid=$np
  sleep 0.1; n=$((n + 1))
done
echo timeout`;

/** $1 file: its size in bytes, 0 when absent. */
export const FILE_SIZE_SCRIPT = `wc -c < "$1" 2>/dev/null || echo 0`;

/**
 * $1 "" for every faultline rule, else one fault id. Deletes the tagged rules of both tables (one iptables call
 * per rule: rules hold no spaces, see net/iptables.ts) and prints how many. Also a self-expiring undo.
 */
export const RULES_SWEEP_SCRIPT = `id=$1; count=0
for table in filter nat; do
  iptables-save -t "$table" 2>/dev/null | grep -F -- "faultline:" > "/tmp/faultline-sweep.$$" || true
  while IFS= read -r line; do
    tagged=$(printf '%s\\n' "$line" | sed -n 's/.*--comment "\\{0,1\\}faultline:\\([A-Za-z0-9_.:-]*\\).*/\\1/p')
    [ -n "$tagged" ] || continue
    [ -z "$id" ] || [ "$tagged" = "$id" ] || continue
    eval "iptables -w 5 -t $table -D \${line#-A }" && count=$((count + 1))
  done < "/tmp/faultline-sweep.$$"
  rm -f "/tmp/faultline-sweep.$$"
done
echo $count`;

/** $1 data dir, $2 fill file name. Fills the data dir's file system to the last byte; prints "filled free-after". */
export const FILL_SCRIPT = `set -eu
dir=$1; file="$1/$2"
avail=$(df -P -B1 "$dir" | awk 'NR == 2 { print $4 }')
fallocate -l "$avail" "$file" 2>/dev/null || head -c "$avail" /dev/zero > "$file" 2>/dev/null || true
filled=$(wc -c < "$file")
after=$(df -P -B1 "$dir" | awk 'NR == 2 { print $4 }')
echo "$filled $after"`;

/** $1 data dir, $2 fill file name: prints removed or absent. */
export const FREE_SCRIPT = `if [ -e "$1/$2" ]; then rm -f "$1/$2" && echo removed; else echo absent; fi`;

/** $1 an `iptables-restore --noflush` input: adds the rules in one commit per table; prints ok. */
export const RESTORE_SCRIPT = `printf '%s' "$1" | iptables-restore -w 5 --noflush && echo ok`;

/** Bound on a proxy's ready line: PROXY_READY_POLLS x 25 ms = 15 s (a JVM starting on a loaded host). */
const PROXY_READY_POLLS = 600;

/**
 * $1 java, $2 output file, $3... its arguments (JVM options, class path, main class, the proxy's key=value pairs
 * with its tag). Starts faultline's Java proxy detached and prints its ready line (`{"ready":true,"port":N,"pid":P}`),
 * or "failed" and its stderr.
 */
export const PROXY_START_SCRIPT = `java=$1; out=$2; shift 2
mkdir -p "$(dirname "$out")"
nohup "$java" "$@" >"$out" 2>"$out.err" </dev/null &
pid=$!; n=0
while [ $n -lt ${PROXY_READY_POLLS} ]; do
  line=; IFS= read -r line < "$out" 2>/dev/null || true
  case $line in *'}') echo "$line"; exit 0 ;; esac
  [ -d "/proc/$pid" ] || break
  sleep 0.025; n=$((n + 1))
done
echo failed; tail -c 400 "$out.err" 2>/dev/null; kill -s KILL "$pid" 2>/dev/null; exit 0`;

/**
 * $1 tag (an argument of the proxies' command lines), $2 a pid or "" for every proxy with the tag, $3 "exact" or
 * "prefix" (every tag that starts with $1). Stops those java processes (SIGTERM, SIGKILL after 2 s) and prints
 * "STOPPED REMAINING": how many it stopped and how many proxies with the tag are left.
 */
export const PROXY_STOP_SCRIPT = `tag=$1; only=$2; mode=$3
proxies() {
  if [ "$mode" = exact ]; then grep -lzxF -- "$tag" /proc/[0-9]*/cmdline 2>/dev/null; else grep -lzF -- "$tag" /proc/[0-9]*/cmdline 2>/dev/null; fi | while IFS= read -r f; do
    p=\${f#/proc/}; p=\${p%/cmdline}
    IFS= read -r comm < "/proc/$p/comm" 2>/dev/null || continue
    [ "$comm" = java ] && echo "$p"
  done
}
pids=$(proxies | grep -x -- "\${only:-[0-9]*}" || true)
stopped=0
for signal in TERM KILL; do
  [ -n "$pids" ] || break
  kill -s $signal $pids 2>/dev/null || true
  n=0; left=$pids
  while [ $n -lt 200 ] && [ -n "$left" ]; do
    next=; for p in $left; do [ -d "/proc/$p" ] && [ "$(sed -n 's/^State:[[:space:]]*\\(.\\).*/\\1/p' "/proc/$p/status" 2>/dev/null)" != Z ] && next="$next $p"; done
    left=$next; [ -z "$left" ] || sleep 0.01; n=$((n + 1))
  done
  [ -z "$left" ] && break
done
[ -z "$pids" ] || stopped=$(echo $pids | wc -w)
echo "$stopped $(proxies | wc -l)"`;
