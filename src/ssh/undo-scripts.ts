/**
 * The shell scripts of the self-expiring undo (docs/ssh.md, "Self-expiring undo on the host"). Each runs as
 * `sh -c SCRIPT NAME ARGS...`: every value arrives as a positional parameter, never inside the script text.
 * Files per fault id under the undo directory: ID.sh (the undo), ID.pid (the watchdog), ID.log (its output).
 */

/** The name in the watchdog's command line: what a disarm checks in /proc/PID/cmdline before it kills. */
const WATCHDOG_NAME = 'faultline-watchdog';

/** Kills the watchdog whose pid file is $1 (its whole process group, the sleep too) when it is still one. */
const KILL_WATCHDOG = `
kill_watchdog() {
  pid=$(cat "$1" 2>/dev/null) || return 1
  case $pid in ''|*[!0-9]*) return 1 ;; esac
  tr '\\000' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q ${WATCHDOG_NAME} || return 1
  kill -s KILL -- "-$pid" 2>/dev/null
}`;

/** Bound on the watchdog writing its pid file: ARM_PID_POLLS × ARM_PID_POLL_S seconds. */
const ARM_PID_POLLS = 2500;
const ARM_PID_POLL_S = 0.002;

/** Waits, bounded, until the watchdog of $dir/$id wrote its pid file (an armed undo whose watchdog is starting). */
const WAIT_FOR_PID = `n=0
while [ -e "$dir/$id.sh" ] && [ ! -s "$dir/$id.pid" ] && [ $n -lt ${ARM_PID_POLLS} ]; do sleep ${ARM_PID_POLL_S}; n=$((n + 1)); done`;

/**
 * $1 dir, $2 id, $3 seconds, $4 "nowait" to return once the watchdog is started (a disarm waits for its pid file
 * then) or "wait"; the undo script as $5, else on stdin. Replaces an armed watchdog of the same id, starts the new one in its own session (the end of the ssh session does not reach it), all three descriptors redirected (or the
 * ssh client would wait for them). The watchdog writes its own pid (it leads its process group, whether or not
 * setsid forked); the script waits for that file, bounded, and prints the pid.
 */
export const ARM_SCRIPT = `set -eu
${KILL_WATCHDOG}
dir=$1; id=$2; seconds=$3
[ -d "$dir" ] || mkdir -p "$dir"
${WAIT_FOR_PID}
if [ $# -ge 5 ]; then printf '%s' "$5" > "$dir/$id.sh"; else cat > "$dir/$id.sh"; fi
if [ -e "$dir/$id.pid" ]; then kill_watchdog "$dir/$id.pid" || true; rm -f "$dir/$id.pid"; fi
setsid sh -c 'echo $$ > "$3.new" && mv "$3.new" "$3" && sleep "$1" && sh "$2" && rm -f "$2" "$3"' \\
  ${WATCHDOG_NAME} "$seconds" "$dir/$id.sh" "$dir/$id.pid" </dev/null >"$dir/$id.log" 2>&1 &
[ "\${4:-}" != nowait ] || exit 0
${WAIT_FOR_PID}
IFS= read -r pid < "$dir/$id.pid"
echo "$pid"`;

/** $1 dir, $2 id. Prints disarmed (a live watchdog killed), expired (its files, no watchdog) or absent. */
export const DISARM_SCRIPT = `set -u
${KILL_WATCHDOG}
dir=$1; id=$2
${WAIT_FOR_PID}
if [ ! -e "$dir/$id.pid" ]; then echo absent; exit 0; fi
if kill_watchdog "$dir/$id.pid"; then echo disarmed; else echo expired; fi
rm -f "$dir/$id.pid" "$dir/$id.sh" "$dir/$id.log"`;

/**
 * $1 dir, $2 "kill" or "list", $3 "run" to run each pending undo after killing its watchdog. One line per id:
 * ID<TAB>PID<TAB>armed|expired[<TAB>undo exit status].
 */
export const SWEEP_SCRIPT = `set -u
${KILL_WATCHDOG}
dir=$1; mode=$2; run=\${3:-}
[ -d "$dir" ] || exit 0
for f in "$dir"/*.pid; do
  [ -e "$f" ] || continue
  id=$(basename "$f" .pid); pid=$(cat "$f" 2>/dev/null || true)
  state=expired
  if [ "$mode" = kill ]; then kill_watchdog "$f" && state=armed
  elif tr '\\000' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q ${WATCHDOG_NAME}; then state=armed; fi
  [ "$mode" = kill ] || { printf '%s\\t%s\\t%s\\n' "$id" "$pid" "$state"; continue; }
  status=
  if [ "$run" = run ] && [ -e "$dir/$id.sh" ]; then sh "$dir/$id.sh" >>"$dir/$id.log" 2>&1; status=$?; fi
  rm -f "$f" "$dir/$id.sh" "$dir/$id.log"
  printf '%s\\t%s\\t%s\\t%s\\n' "$id" "$pid" "$state" "$status"
done
# the logs of undos that ran and succeeded (their watchdog removed its pid file)
if [ "$mode" = kill ]; then for f in "$dir"/*.log; do [ -e "$f" ] && [ ! -e "\${f%.log}.pid" ] && rm -f "$f"; done; fi
exit 0`;
