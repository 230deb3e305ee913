#!/usr/bin/env bash
# Local single-node Apache Kafka broker in KRaft mode, resolved from Maven Central.
#   broker.sh start   resolve jars (once), format storage (once), start, wait until it answers
#   broker.sh stop    stop the broker this script started
#   broker.sh status  exit 0 when a broker answers on KAFKA_HOST:KAFKA_PORT
#   broker.sh classpath  print the class path (for Kafka's own tools)
# Idempotent: when something already answers on the port, start reuses it; when KAFKA_BROKERS
# is set, start does nothing (the service uses those brokers).
# Environment: KAFKA_HOST (127.0.0.1), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#   KAFKA_DATA_DIR (<project>/.data/kafka), KAFKA_HEAP_OPTS (-Xms512m -Xmx1g).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
host=${KAFKA_HOST:-127.0.0.1}
port=${KAFKA_PORT:-9092}
cport=${KAFKA_CONTROLLER_PORT:-9093}
data=${KAFKA_DATA_DIR:-$root/.data/kafka}
heap=${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g}
cpfile="$data/classpath.txt"
pidfile="$data/broker.pid"
logfile="$data/broker.log"

answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

classpath() {
  mkdir -p "$data"
  if [[ ! -s "$cpfile" || "$here/pom.xml" -nt "$cpfile" ]]; then
    echo "kafka: resolving the broker from Maven Central (first run only)..." >&2
    mvn -q -B -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cpfile" >&2
  fi
  cat "$cpfile"
}

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
  command -v java >/dev/null || { echo "kafka: java (JDK 17+) is required" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "kafka: mvn (Maven) is required" >&2; exit 1; }
  local cp
  cp=$(classpath)
  properties >"$data/server.properties"
  if [[ ! -f "$data/logs/meta.properties" ]]; then
    local id
    id=$(java -cp "$cp" kafka.tools.StorageTool random-uuid)
    java -cp "$cp" -Dlog4j2.configurationFile="$here/log4j2.properties" \
      kafka.tools.StorageTool format -t "$id" -c "$data/server.properties" >/dev/null
  fi
  # shellcheck disable=SC2086
  setsid nohup java $heap -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.properties" \
    -cp "$cp" kafka.Kafka "$data/server.properties" >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 120); do
    if answers; then
      echo "kafka: broker up on $host:$port (pid $(cat "$pidfile"), log $logfile)"
      return 0
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "kafka: broker exited during start-up; last lines of $logfile:" >&2
      tail -n 30 "$logfile" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "kafka: broker did not answer on $host:$port within 60 s; see $logfile" >&2
  exit 1
}

stop() {
  [[ -f "$pidfile" ]] || { echo "kafka: no broker started by this script"; return 0; }
  local pid
  pid=$(cat "$pidfile")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  echo "kafka: stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) answers ;;
  classpath) classpath ;;
  *) echo "usage: $0 start|stop|status|classpath" >&2; exit 2 ;;
esac
