#!/usr/bin/env bash
# Local single-node Apache Kafka broker in KRaft mode, resolved from Maven Central.
#   broker.sh start   resolve jars (once), format storage (once), start, wait until it answers
#   broker.sh stop    stop the broker this script started
#   broker.sh status  exit 0 when a broker answers on KAFKA_HOST:KAFKA_PORT
#   broker.sh classpath  print the class path (for Kafka's own tools)
# Idempotent: when something already answers on the port, start reuses it; when KAFKA_BROKERS
# is set, start does nothing (the service uses those brokers).
# Environment: KAFKA_HOST (127.0.0.1), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#   KAFKA_DATA_DIR (<project>/.data/kafka), KAFKA_HEAP_OPTS (-Xms512m -Xmx1g),
#   KAFKA_CLASSPATH_FILE (<project>/.data/kafka/classpath.txt, shared with cluster.sh).
# A cluster of several brokers for fault tests: cluster.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
kafka_here=$here kafka_root=$root
# shellcheck source=_kafka_common.sh
source "$here/_kafka_common.sh"
host=${KAFKA_HOST:-127.0.0.1}
port=${KAFKA_PORT:-9092}
cport=${KAFKA_CONTROLLER_PORT:-9093}
data=${KAFKA_DATA_DIR:-$root/.data/kafka}
heap=${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g}
pidfile="$data/broker.pid"
logfile="$data/broker.log"

answers() { kafka_answers "$host" "$port"; }

properties() {
  cat <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$host:$cport
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$cport
advertised.listeners=PLAINTEXT://$host:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/logs
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
PROPS
}

start() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then
    echo "kafka: KAFKA_BROKERS=$KAFKA_BROKERS is set; not starting a local broker"
    return 0
  fi
  if answers; then
    echo "kafka: a broker already answers on $host:$port; reusing it"
    return 0
  fi
  kafka_require
  local cp
  cp=$(kafka_classpath)
  mkdir -p "$data"
  properties >"$data/server.properties"
  kafka_format "$cp" "$data/server.properties"
  kafka_launch "$cp" "$data/server.properties" "$logfile" "$pidfile" "$heap -XX:+UseG1GC"
  kafka_wait_up "$host" "$port" "$pidfile" "$logfile" 60 || exit 1
  echo "kafka: broker up on $host:$port (pid $(cat "$pidfile"), log $logfile)"
}

stop() {
  [[ -f "$pidfile" ]] || { echo "kafka: no broker started by this script"; return 0; }
  kafka_wait_gone "$(kafka_signal "$pidfile" TERM)" 30 || true
  rm -f "$pidfile"
  echo "kafka: stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) answers ;;
  classpath) kafka_classpath ;;
  *) echo "usage: $0 start|stop|status|classpath" >&2; exit 2 ;;
esac
