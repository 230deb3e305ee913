#!/usr/bin/env bash
# A local Apache Kafka cluster of N KRaft nodes (each broker and controller, node ids 1..N, all N
# in the controller quorum), for trying failures: kill the leader, stop a node, restart it.
# Same jars as broker.sh (resolved once from Maven Central; needs a JDK 17+ and Maven).
#
#   cluster.sh start N        format (once, one cluster id) and start nodes 1..N, wait until all
#                             answer; nodes already running are left alone
#   cluster.sh stop           SIGTERM every node, wait (SIGKILL after 30 s)
#   cluster.sh kill           SIGKILL every node
#   cluster.sh kill-node I    SIGKILL node I (no controlled shutdown: a crash)
#   cluster.sh stop-node I    SIGTERM node I and wait until it has exited (controlled shutdown)
#   cluster.sh start-node I   start node I again on its existing data, wait until it answers
#   cluster.sh status         one line per node; exit 0 when every node answers
#   cluster.sh brokers        print the bootstrap list, e.g. 127.0.0.1:19092,127.0.0.1:19093
#
# Example:
#   bash tools/kafka/cluster.sh start 3
#   KAFKA_BROKERS=$(bash tools/kafka/cluster.sh brokers) npx -y deno@2.9.6 task dev
#   bash tools/kafka/cluster.sh kill-node 2; bash tools/kafka/cluster.sh start-node 2
#   bash tools/kafka/cluster.sh stop; rm -rf .data/kafka-cluster    # forget it
#
# Node I listens for clients on BASE+I-1 and for the quorum on CONTROLLER_BASE+I-1. Internal
# topics (offsets, transactions) and topics created without a replication factor get
# replication factor min(3,N); the internal ones min ISR min(2,N). `start N` records its settings
# in DATA/cluster.env; later commands use those, so only `start` reads the environment:
#   KAFKA_CLUSTER_DATA_DIR (<project>/.data/kafka-cluster), KAFKA_CLUSTER_HOST (127.0.0.1),
#   KAFKA_CLUSTER_BASE_PORT (19092), KAFKA_CLUSTER_CONTROLLER_BASE_PORT (BASE+100),
#   KAFKA_CLUSTER_HEAP_OPTS (-Xms256m -Xmx512m), KAFKA_CLUSTER_JVM_OPTS (-XX:+UseSerialGC
#   -XX:TieredStopAtLevel=1: less CPU to start on a small shared machine),
#   KAFKA_CLUSTER_SESSION_TIMEOUT_MS (9000: how long the controller waits for a silent broker
#   before moving its leaderships away),
#   KAFKA_CLASSPATH_FILE (<project>/.data/kafka/classpath.txt).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
kafka_here=$here kafka_root=$root
# shellcheck source=_kafka_common.sh
source "$here/_kafka_common.sh"
data=${KAFKA_CLUSTER_DATA_DIR:-$root/.data/kafka-cluster}
envfile="$data/cluster.env"

fail() { echo "kafka-cluster: $*" >&2; exit 1; }

# Settings: from cluster.env once the cluster exists, else from the environment.
load() {
  if [[ -f "$envfile" ]]; then
    # shellcheck disable=SC1090
    source "$envfile"
  else
    nodes=${1:-0}
    host=${KAFKA_CLUSTER_HOST:-127.0.0.1}
    base=${KAFKA_CLUSTER_BASE_PORT:-19092}
    cbase=${KAFKA_CLUSTER_CONTROLLER_BASE_PORT:-$((base + 100))}
    heap=${KAFKA_CLUSTER_HEAP_OPTS:--Xms256m -Xmx512m}
    jvm=${KAFKA_CLUSTER_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}
    session_ms=${KAFKA_CLUSTER_SESSION_TIMEOUT_MS:-9000}
    cluster_id=""
  fi
}

save() {
  mkdir -p "$data"
  {
    printf 'nodes=%q\nhost=%q\nbase=%q\ncbase=%q\n' "$nodes" "$host" "$base" "$cbase"
    printf 'heap=%q\njvm=%q\n' "$heap" "$jvm"
    printf 'session_ms=%q\ncluster_id=%q\n' "$session_ms" "$cluster_id"
  } >"$envfile"
}

node_dir() { echo "$data/node-$1"; }
pidfile() { echo "$data/node-$1/node.pid"; }
logfile() { echo "$data/node-$1/node.log"; }
port_of() { echo $((base + $1 - 1)); }

check_node() {
  [[ -f "$envfile" ]] || fail "no cluster in $data (run: cluster.sh start N)"
  [[ "$1" =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= nodes)) || fail "no node '$1' (nodes 1..$nodes)"
}

properties() {
  local i=$1 voters="" j rf=$((nodes < 3 ? nodes : 3)) isr=$((nodes < 2 ? nodes : 2))
  for ((j = 1; j <= nodes; j++)); do voters+="${voters:+,}$j@$host:$((cbase + j - 1))"; done
  cat <<PROPS
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://$host:$(port_of "$i"),CONTROLLER://$host:$((cbase + i - 1))
advertised.listeners=PLAINTEXT://$host:$(port_of "$i")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$(node_dir "$i")/logs
num.partitions=1
default.replication.factor=$rf
auto.create.topics.enable=false
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$isr
group.initial.rebalance.delay.ms=0
broker.session.timeout.ms=$session_ms
log.retention.hours=24
PROPS
}

# launch I CLASSPATH: start node I unless it runs already.
launch() {
  kafka_running "$(pidfile "$1")" && return 0
  if kafka_answers "$host" "$(port_of "$1")"; then
    fail "port $(port_of "$1") is taken by something else; choose KAFKA_CLUSTER_BASE_PORT"
  fi
  kafka_launch "$2" "$(node_dir "$1")/server.properties" "$(logfile "$1")" "$(pidfile "$1")" \
    "$heap $jvm"
}

start() {
  [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] || fail "usage: cluster.sh start N (N >= 1)"
  load "$1"
  [[ "$nodes" == "$1" ]] ||
    fail "$data holds a $nodes-node cluster; stop it and remove $data to start $1 nodes"
  kafka_require
  local cp i pids=()
  cp=$(kafka_classpath)
  [[ -n "$cluster_id" ]] || cluster_id=$(kafka_random_id "$cp")
  save
  for ((i = 1; i <= nodes; i++)); do
    mkdir -p "$(node_dir "$i")"
    properties "$i" >"$(node_dir "$i")/server.properties"
    kafka_format "$cp" "$(node_dir "$i")/server.properties" "$cluster_id" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || fail "formatting storage failed"; done
  for ((i = 1; i <= nodes; i++)); do launch "$i" "$cp"; done
  # The quorum needs a majority of the nodes, so they are waited for together.
  for ((i = 1; i <= nodes; i++)); do
    kafka_wait_up "$host" "$(port_of "$i")" "$(pidfile "$i")" "$(logfile "$i")" 120 ||
      fail "node $i did not start"
  done
  echo "kafka-cluster: $nodes node(s) up: $(brokers) (data $data)"
}

start_node() {
  load
  check_node "$1"
  local cp
  cp=$(kafka_classpath)
  launch "$1" "$cp"
  kafka_wait_up "$host" "$(port_of "$1")" "$(pidfile "$1")" "$(logfile "$1")" 120 ||
    fail "node $1 did not start"
  echo "kafka-cluster: node $1 up on $host:$(port_of "$1")"
}

stop_node() {
  load
  check_node "$1"
  kafka_wait_gone "$(kafka_signal "$(pidfile "$1")" TERM)" 60 || true
  echo "kafka-cluster: node $1 stopped"
}

kill_node() {
  load
  check_node "$1"
  kafka_wait_gone "$(kafka_signal "$(pidfile "$1")" KILL)" 10 || true
  echo "kafka-cluster: node $1 killed"
}

# stop_all SIGNAL SECONDS: signal every node at once, then wait for each.
stop_all() {
  [[ -f "$envfile" ]] || { echo "kafka-cluster: no cluster in $data"; return 0; }
  load
  local i pid pids=()
  for ((i = 1; i <= nodes; i++)); do
    pid=$(kafka_signal "$(pidfile "$i")" "$1")
    [[ -z "$pid" ]] || pids+=("$pid")
  done
  for pid in "${pids[@]}"; do kafka_wait_gone "$pid" "$2" || true; done
  echo "kafka-cluster: all nodes down"
}

status() {
  [[ -f "$envfile" ]] || { echo "kafka-cluster: no cluster in $data"; return 1; }
  load
  local i all=0 state
  for ((i = 1; i <= nodes; i++)); do
    if kafka_answers "$host" "$(port_of "$i")"; then
      state=up
    elif kafka_running "$(pidfile "$i")"; then
      state=starting all=1
    else
      state=down all=1
    fi
    echo "node $i $host:$(port_of "$i") $state"
  done
  return "$all"
}

brokers() {
  [[ -f "$envfile" ]] || fail "no cluster in $data"
  load
  local i list=""
  for ((i = 1; i <= nodes; i++)); do list+="${list:+,}$host:$(port_of "$i")"; done
  echo "$list"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop_all TERM 30 ;;
  kill) stop_all KILL 10 ;;
  start-node) start_node "${2:-}" ;;
  stop-node) stop_node "${2:-}" ;;
  kill-node) kill_node "${2:-}" ;;
  status) status ;;
  brokers) brokers ;;
  *)
    echo "usage: $0 start N|stop|kill|start-node I|stop-node I|kill-node I|status|brokers" >&2
    exit 2
    ;;
esac
