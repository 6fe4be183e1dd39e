/**
 * The one remote script of discovery (docs/ssh.md, "Attaching: how a host's Kafka is found"). It runs as
 * `sh -c SCRIPT faultline-discover MAX_PROCESSES MAX_CONFIG_BYTES MAX_META_BYTES` and only reads /proc and files.
 *
 * Candidates: every /proc/PID/cmdline that grep finds holding a main class, kept when argv[0] is a java launcher
 * and an argument equals the main class exactly (the same rule as readJvmLaunch; the patterns below are written
 * so that no argument of grep or of this script equals a class name). Per kept process it prints a header line
 * per field, each value after its header as `od -An -tx1` lines (hex bytes, every line starting with a blank), so
 * that any byte passes:
 *
 *   process PID
 *   start TICKS                                (field 22 of /proc/PID/stat, by shell builtins)
 *   cmdline, cwd                               (values; a field is missing when the process ended)
 *   cwd-unreadable                             (the process runs, its /proc/PID/cwd is not ours to read)
 *   config | config-unreadable                 (the first MAX_CONFIG_BYTES + 1 bytes of the config argument)
 *   meta-dir, meta                             (DIR/meta.properties, for each log dir a simple reading finds)
 *   end
 *
 * and `more` instead of a process past MAX_PROCESSES. Files are read as the JVM sees them: a relative path from its
 * cwd (/proc/PID/cwd), an absolute one under its root (/proc/PID/root: a containerized JVM's own file system).
 * The log dirs for meta.properties come from a short awk reading of log.dirs / log.dir (continuations, `=`, `:`
 * or blank separators; no escapes, no --override): the caller uses a meta.properties only for a directory its full
 * parser also finds.
 */
export const DISCOVERY_SCRIPT = `set -u
max=$1; maxbytes=$2; maxmeta=$3
hex() { od -An -v -tx1 "$@"; }
config_arg() {
  tr '\\000' '\\n' < "$1" 2>/dev/null | awk '
    NR == 1 { n = split($0, p, "/"); if (p[n] !~ /^java/) exit }
    f { if ($0 != "") print; exit }
    NR > 1 && ($0 == "kafka" ".Kafka" || $0 == "org.apache.zookeeper.server.quorum" ".QuorumPeerMain") { f = 1 }'
}
log_dirs() {
  head -c "$maxbytes" -- "$1" 2>/dev/null | awk '
    { sub(/\\r$/, ""); if (cont) { sub(/^[ \\t\\f]+/, ""); line = line $0 } else line = $0 }
    { n = match($0, /\\\\+$/) ? RLENGTH : 0 }
    n % 2 == 1 { line = substr(line, 1, length(line) - 1); cont = 1; next }
    { cont = 0 }
    line ~ /^[ \\t\\f]*log\\.dirs?([ \\t\\f]*[=:]|[ \\t\\f])/ {
      sub(/^[ \\t\\f]*log\\.dirs?[ \\t\\f]*[=:]?[ \\t\\f]*/, "", line)
      k = split(line, parts, ",")
      for (i = 1; i <= k; i++) { v = parts[i]; gsub(/^[ \\t]+|[ \\t]+$/, "", v); if (v != "") print v }
    }'
}
start_time() {
  IFS= read -r stat < "$1" || return 0
  stat=\${stat##*') '}
  set -- $stat
  [ $# -ge 20 ] && shift 19 && echo "start $1"
}
describe() {
  d=/proc/$1
  echo "process $1"
  start_time "$d/stat"
  echo cmdline; hex "$d/cmdline"
  if cwd=$(readlink "$d/cwd" 2>/dev/null); then echo cwd; printf %s "$cwd" | hex
  elif [ -d "$d" ]; then echo cwd-unreadable; fi
  (
    cd "$d/cwd" 2>/dev/null || exit 0
    case $2 in /*) conf=$d/root$2 ;; *) conf=$2 ;; esac
    [ -f "$conf" ] && [ -r "$conf" ] || { echo config-unreadable; exit 0; }
    echo config; hex -N $((maxbytes + 1)) -- "$conf"
    log_dirs "$conf" | while IFS= read -r dir; do
      case $dir in /*) meta=$d/root$dir/meta.properties ;; *) meta=$dir/meta.properties ;; esac
      [ -f "$meta" ] || continue
      echo meta-dir; printf %s "$dir" | hex
      echo meta; hex -N "$maxmeta" -- "$meta"
    done
  )
  echo end
}
n=0
for f in $(grep -l -a -e 'kafka[.]Kafka' -e 'zookeeper[.]server[.]quorum[.]QuorumPeerMain' /proc/[0-9]*/cmdline 2>/dev/null); do
  pid=\${f#/proc/}; pid=\${pid%/cmdline}
  [ "$pid" != "$$" ] || continue
  conf=$(config_arg "$f")
  [ -n "$conf" ] || continue
  n=$((n + 1))
  if [ "$n" -gt "$max" ]; then echo more; break; fi
  describe "$pid" "$conf"
done
exit 0`;
