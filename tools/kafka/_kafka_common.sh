# Shared by broker.sh and cluster.sh (sourced, not run): class path resolution, storage
# formatting, launching a node detached, waiting for it, stopping it.
# Callers set: kafka_here (this folder) and kafka_root (the project).

# The class path cache, shared by every local broker and cluster of this project.
kafka_cpfile=${KAFKA_CLASSPATH_FILE:-$kafka_root/.data/kafka/classpath.txt}

# JVM options for Kafka's short-lived tools: start fast, little CPU.
kafka_tool_jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

# kafka_answers HOST PORT: exit 0 when something accepts TCP connections there.
kafka_answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# kafka_require: java and mvn are on the PATH.
kafka_require() {
  command -v java >/dev/null || { echo "kafka: java (JDK 17+) is required" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "kafka: mvn (Maven) is required" >&2; exit 1; }
}

# kafka_classpath: print the broker's class path, resolving it from Maven Central when the cache
# is missing or older than pom.xml. Written to a temporary file first, so a concurrent reader
# never sees half a class path.
kafka_classpath() {
  if [[ ! -s "$kafka_cpfile" || "$kafka_here/pom.xml" -nt "$kafka_cpfile" ]]; then
    echo "kafka: resolving the broker from Maven Central (first run only)..." >&2
    mkdir -p "$(dirname "$kafka_cpfile")"
    local tmp="$kafka_cpfile.$$.tmp"
    mvn -q -B -f "$kafka_here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$tmp" >&2
    mv -f "$tmp" "$kafka_cpfile"
  fi
  cat "$kafka_cpfile"
}

# kafka_random_id CLASSPATH: print a new cluster id.
kafka_random_id() { java "${kafka_tool_jvm[@]}" -cp "$1" kafka.tools.StorageTool random-uuid; }

# kafka_format CLASSPATH PROPERTIES [CLUSTER_ID]: format the node's log dir unless already done
# (a new cluster id when none is given).
kafka_format() {
  local logdir id
  logdir=$(sed -n 's/^log\.dirs=//p' "$2")
  [[ -f "$logdir/meta.properties" ]] && return 0
  id=${3:-$(kafka_random_id "$1")}
  java "${kafka_tool_jvm[@]}" -cp "$1" -Dlog4j2.configurationFile="$kafka_here/log4j2.properties" \
    kafka.tools.StorageTool format -t "$id" -c "$2" >/dev/null
}

# kafka_launch CLASSPATH PROPERTIES LOGFILE PIDFILE JVM_OPTIONS: start a node detached from this
# shell (own session, immune to hang-ups), so it outlives the caller; its pid goes to PIDFILE.
kafka_launch() {
  # shellcheck disable=SC2086
  setsid nohup java $5 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$kafka_here/log4j2.properties" \
    -cp "$1" kafka.Kafka "$2" >"$3" 2>&1 </dev/null &
  echo $! >"$4"
}

# kafka_running PIDFILE: exit 0 when the pid in PIDFILE is a live Kafka process (a reused pid
# of another program does not count).
kafka_running() {
  local pid
  [[ -f "$1" ]] || return 1
  pid=$(cat "$1")
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'
}

# kafka_wait_up HOST PORT PIDFILE LOGFILE SECONDS: wait until the node answers; fail (with the
# log's tail) when it exits first or the time is up.
kafka_wait_up() {
  local i
  for ((i = 0; i < $5 * 2; i++)); do
    kafka_answers "$1" "$2" && return 0
    # Read twice: /proc/PID/cmdline can read empty for a moment while setsid and nohup exec java.
    if ! kafka_running "$3" && ! { sleep 1 && kafka_running "$3"; } && ! kafka_answers "$1" "$2"; then
      echo "kafka: the node on $1:$2 exited during start-up; last lines of $4:" >&2
      tail -n 30 "$4" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "kafka: the node on $1:$2 did not answer within $5 s; see $4" >&2
  return 1
}

# kafka_signal PIDFILE SIGNAL: send SIGNAL to the node when it runs, and print its pid (nothing
# when it does not run, so a stale pid file never leads to signalling someone else's process).
kafka_signal() {
  kafka_running "$1" || return 0
  kill "-$2" "$(cat "$1")" 2>/dev/null || true
  cat "$1"
}

# kafka_gone PID: exit 0 once every thread of PID has exited (the process may stay a zombie).
# Its main thread alone is not enough: the JVM's other threads hold the sockets a while longer.
kafka_gone() {
  local stat line
  for stat in /proc/"$1"/task/*/stat; do
    line=$(cat "$stat" 2>/dev/null) || continue
    line=${line##*) }
    [[ "${line:0:1}" == [ZX] ]] || return 1
  done
  return 0
}

# kafka_wait_gone PID SECONDS: wait until the node PID (as printed by kafka_signal a moment
# ago; none is fine) has exited; SIGKILL it after SECONDS. Returns 1 when it had to be killed.
kafka_wait_gone() {
  local i
  [[ -n "$1" ]] || return 0
  for ((i = 0; i < $2 * 5; i++)); do
    kafka_gone "$1" && return 0
    sleep 0.2
  done
  echo "kafka: pid $1 still running after $2 s; sending SIGKILL" >&2
  kill -KILL "$1" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kafka_gone "$1" && break; sleep 0.1; done
  return 1
}
