/**
 * The one remote script of discovery (docs/ssh.md, "Attaching: how a host's Kafka is found"). It runs as
 * `sh -c SCRIPT faultline-discover MAX_PROCESSES MAX_CONFIG_BYTES MAX_META_BYTES` and only reads /proc and files.
 *
 * Candidates: every /proc/PID/cmdline that grep finds holding a main class, kept when argv[0] is a java launcher
 * and an argument equals the main class exactly (the same rule as readJvmLaunch; the patterns below are written
 * so that no argument of grep or of this script equals a class name). Per kept process it prints, every value as
 * lowercase hex (od) so that any byte passes, one line each:
 *
 *   process PID
 *   stat HEX | cmdline HEX | cwd HEX           (a line is missing when the process ended meanwhile)
 *   config HEX | config-unreadable             (the first MAX_CONFIG_BYTES + 1 bytes of the config argument)
 *   meta DIRHEX HEX                            (DIR/meta.properties, for each log dir a simple reading finds)
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
hex() { od -An -v -tx1 | tr -d ' \\n'; }
field() { printf '%s ' "$1"; hex; echo; }
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
path_in() { case $2 in /*) printf %s "/proc/$1/root$2" ;; *) printf %s "$2" ;; esac; }
describe() {
  d=/proc/$1
  echo "process $1"
  field stat < "$d/stat"
  field cmdline < "$d/cmdline"
  printf %s "$(readlink "$d/cwd")" | field cwd
  (
    cd "$d/cwd" 2>/dev/null || { echo config-unreadable; exit 0; }
    conf=$(path_in "$1" "$2")
    if [ -f "$conf" ] && [ -r "$conf" ]; then head -c $((maxbytes + 1)) -- "$conf" | field config; else echo config-unreadable; exit 0; fi
    log_dirs "$conf" | while IFS= read -r dir; do
      meta=$(path_in "$1" "$dir")/meta.properties
      [ -f "$meta" ] || continue
      printf 'meta '; printf %s "$dir" | hex; printf ' '; head -c "$maxmeta" -- "$meta" | hex; echo
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
