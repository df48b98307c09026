#!/usr/bin/env bash
# Local Kafka (KRaft) for Timeline, run from Maven Central jars (no Docker needed): one node, or a
# cluster of N nodes in combined mode (broker + controller in each JVM).
#
#   bash infra/scripts/kafka.sh fetch                resolve the broker jars into infra/kafka/libs (once)
#   bash infra/scripts/kafka.sh start                format storage if needed, start one broker, wait until it answers
#   bash infra/scripts/kafka.sh start --brokers 3    the same for three brokers: client ports 9092/9192/9292,
#                                                    controllers 9093/9193/9293, data in kafka/node-N; prints
#                                                    KAFKA_BROKERS and writes it to kafka/brokers
#   bash infra/scripts/kafka.sh kill N [--term]      kill -9 broker N of the cluster (1-based), or stop it with
#                                                    SIGTERM (--term); `start --brokers 3` brings it back
#   bash infra/scripts/kafka.sh stop                 stop every broker of this data folder (SIGTERM, then SIGKILL
#                                                    after KAFKA_STOP_TIMEOUT s)
#   bash infra/scripts/kafka.sh status               running (exit 0) / stopped (exit 3)
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_PORT_BASE (= KAFKA_PORT; node N of a cluster
#      listens on KAFKA_PORT_BASE + 100 × (N − 1) and its controller on that + 1), KAFKA_HEAP_OPTS
#      (-Xms256m -Xmx768m; -Xms256m -Xmx512m per cluster node), KAFKA_START_TIMEOUT seconds (90),
#      KAFKA_STOP_TIMEOUT seconds (30), INFRA_DATA_DIR (infra/.data).
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_DIR="$INFRA_DIR/kafka"
LIBS_DIR="$KAFKA_DIR/libs"
DATA_ROOT="${INFRA_DATA_DIR:-$INFRA_DIR/.data}"
mkdir -p "$DATA_ROOT"
DATA_ROOT="$(cd "$DATA_ROOT" && pwd)"
KAFKA_DATA="$DATA_ROOT/kafka"
LOG_DIR="$KAFKA_DATA/logs"
PROPS="$KAFKA_DATA/server.properties"
PID_FILE="$DATA_ROOT/kafka.pid"
CLUSTER_ID_FILE="$KAFKA_DATA/cluster.id"
FETCH_STAMP="$LIBS_DIR/.fetched"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_PORT_BASE="${KAFKA_PORT_BASE:-$KAFKA_PORT}"
NODE_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
BROKER="127.0.0.1:$KAFKA_PORT"
BROKERS_FILE="$KAFKA_DATA/brokers"
CLUSTER_SIZE_FILE="$KAFKA_DATA/cluster.size"

log() { echo "[infra] kafka: $*"; }
die() {
  echo "[infra] kafka: ERROR: $*" >&2
  exit 1
}

kafka_version() {
  local jar
  jar="$(ls "$LIBS_DIR"/kafka_2.13-*.jar 2>/dev/null | head -n1 || true)"
  if [[ -n "$jar" ]]; then
    jar="${jar##*/kafka_2.13-}"
    echo "${jar%.jar}"
  else
    sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_DIR/pom.xml"
  fi
}

# Stamp = hash of the pom, so a version bump in pom.xml re-resolves the jars.
pom_hash() { sha256sum "$KAFKA_DIR/pom.xml" | cut -d' ' -f1; }

libs_complete() {
  [[ -f "$FETCH_STAMP" ]] && [[ "$(cat "$FETCH_STAMP")" == "$(pom_hash)" ]] &&
    compgen -G "$LIBS_DIR/kafka_2.13-*.jar" >/dev/null &&
    compgen -G "$LIBS_DIR/log4j-core-*.jar" >/dev/null
}

cmd_fetch() {
  if libs_complete; then
    log "jars already present ($(ls "$LIBS_DIR"/*.jar | wc -l) jars, version=$(kafka_version)), skipping fetch"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (Debian: apt-get install -y maven openjdk-17-jdk-headless)"
  local t0=$SECONDS
  log "fetching broker jars from Maven Central (kafka $(kafka_version)) into infra/kafka/libs ..."
  rm -rf "$LIBS_DIR"
  local out
  if ! out="$(cd "$KAFKA_DIR" && mvn -B -q -Dstyle.color=never \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory=libs 2>&1)"; then
    echo "$out" >&2
    rm -rf "$LIBS_DIR"
    die "mvn could not resolve the jars from Maven Central (output above); check the network/proxy, then retry"
  fi
  pom_hash >"$FETCH_STAMP"
  log "fetched $(ls "$LIBS_DIR"/*.jar | wc -l) jars ($(du -sh "$LIBS_DIR" | cut -f1)) in $((SECONDS - t0))s"
}

# Sets ARGS to the command line of process $1, NULs turned into spaces (builtins only: no fork).
ARGS=""
proc_args() {
  local parts=()
  ARGS=""
  [[ -r "/proc/$1/cmdline" ]] || return 0
  mapfile -d "" -t parts 2>/dev/null <"/proc/$1/cmdline" || true
  ARGS="${parts[*]-}"
}

# PIDs of java processes running kafka.Kafka with the given server.properties (default: the single
# node's; `all`: any of this data folder, single or cluster node), read from /proc, so no grep process
# ever matches itself.
broker_pids() {
  local d want="${1:-$PROPS}"
  for d in /proc/[0-9]*; do
    proc_args "${d#/proc/}"
    [[ "$ARGS" == *kafka.Kafka* ]] || continue
    if [[ "$want" == all ]]; then
      [[ "$ARGS" == *"$KAFKA_DATA/"*server.properties* ]] && echo "${d#/proc/}"
    elif [[ "$ARGS" == *"$want"* ]]; then
      echo "${d#/proc/}"
    fi
  done
  return 0
}

# The pid from the pid file, if it is alive and really our broker; else nothing.
pidfile_pid() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  proc_args "$pid"
  [[ "$ARGS" == *kafka.Kafka* ]] && echo "$pid"
  return 0
}

running_pid() {
  local pid
  pid="$(pidfile_pid)"
  [[ -n "$pid" ]] || pid="$(broker_pids | head -n1)"
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

probe() { node "$INFRA_DIR/scripts/kafka-probe.mjs" --brokers "$BROKER" "$@"; }

# render_node <props> <node id> <port> <controller port> <voters> <data dir> <rf> <min isr> <session ms> <heartbeat ms>
render_node() {
  sed -e "s|@KAFKA_NODE_ID@|$2|g" \
    -e "s|@KAFKA_PORT@|$3|g" \
    -e "s|@KAFKA_CONTROLLER_PORT@|$4|g" \
    -e "s|@KAFKA_VOTERS@|$5|g" \
    -e "s|@KAFKA_LOG_DIRS@|$6|g" \
    -e "s|@KAFKA_RF@|$7|g" \
    -e "s|@KAFKA_MIN_ISR@|$8|g" \
    -e "s|@KAFKA_SESSION_TIMEOUT_MS@|$9|g" \
    -e "s|@KAFKA_HEARTBEAT_MS@|${10}|g" \
    "$KAFKA_DIR/server.properties.template" >"$1"
}

render_properties() {
  mkdir -p "$KAFKA_DATA/data" "$LOG_DIR"
  render_node "$PROPS" 1 "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "1@127.0.0.1:$KAFKA_CONTROLLER_PORT" \
    "$KAFKA_DATA/data" 1 1 9000 2000
}

java_log_opts() {
  echo "-Dlog4j2.configurationFile=file:$KAFKA_DIR/log4j2.xml -Dkafka.logs.dir=$1"
}

# A Kafka cluster id is a random UUID in URL-safe base64 without padding (what `StorageTool random-uuid`
# prints); made here, because every JVM start costs seconds on a busy machine. Like Kafka's own
# Uuid.randomUuid, never one that starts with '-': StorageTool's argument parser reads "-t -9ID..." as
# a missing value and a fresh clone failed to format one time in 64.
cluster_id() {
  mkdir -p "$LOG_DIR"
  if [[ ! -s "$CLUSTER_ID_FILE" || "$(head -c 1 "$CLUSTER_ID_FILE")" == "-" ]]; then
    local id="-"
    while [[ "$id" == -* ]]; do
      id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    echo "$id" >"$CLUSTER_ID_FILE"
  fi
  cat "$CLUSTER_ID_FILE"
}

# format_node <props> <data dir> <log dir>: once per node, every node with the same cluster id; static
# controller.quorum.voters, so no --standalone / --initial-controllers.
format_node() {
  [[ -f "$2/meta.properties" ]] && return 0
  local cid
  cid="$(cluster_id)"
  [[ -n "$cid" ]] || die "no cluster id"
  log "formatting storage (cluster id $cid) in ${2#"$PWD"/}"
  # shellcheck disable=SC2046
  java $(java_log_opts "$3/storage-tool") -cp "$LIBS_DIR/*" kafka.tools.StorageTool \
    format -t "$cid" -c "$1" --ignore-formatted >"$3/storage-format.out" 2>&1 ||
    {
      cat "$3/storage-format.out" >&2
      die "storage format failed"
    }
}

format_storage() { format_node "$PROPS" "$KAFKA_DATA/data" "$LOG_DIR"; }

print_log_tail() {
  echo "----- last 40 lines of $LOG_DIR/server.log -----" >&2
  tail -n 40 "$LOG_DIR/server.log" 2>/dev/null >&2 || echo "(no server.log)" >&2
  if [[ -s "$LOG_DIR/kafka.out" ]]; then
    echo "----- last 40 lines of $LOG_DIR/kafka.out (stdout/stderr) -----" >&2
    tail -n 40 "$LOG_DIR/kafka.out" >&2
  fi
  echo "-----" >&2
}

cmd_start() {
  local pid
  if [[ -n "$(cluster_pids)" ]]; then
    die "a cluster of this data folder runs (see 'kafka.sh status'); stop it first ('pnpm infra:down')"
  fi
  pid="$(running_pid)"
  if [[ -z "$pid" ]] && probe --timeout 0 --quiet; then
    log "a broker already answers on $BROKER (not started by this checkout); using it"
    return 0
  fi
  if [[ -n "$pid" ]]; then
    if probe --timeout "$KAFKA_START_TIMEOUT" --pid "$pid" --quiet; then
      echo "$pid" >"$PID_FILE"
      log "already running pid=$pid port=$KAFKA_PORT version=$(kafka_version)"
      return 0
    fi
    die "broker pid=$pid is running but does not answer on $BROKER; run 'pnpm infra:down' then 'pnpm infra:up'"
  fi

  command -v java >/dev/null || die "java not found (Kafka 4.x needs Java 17+: apt-get install -y openjdk-17-jre-headless)"
  libs_complete || cmd_fetch
  if port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; then
    die "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is already in use, and no Kafka broker answers on $BROKER; free the port(s) or set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
  fi

  local t0=$SECONDS
  render_properties
  format_storage

  echo "===== $(date -u +%FT%TZ) kafka.sh start (version $(kafka_version), port $KAFKA_PORT) =====" >>"$LOG_DIR/kafka.out"
  # setsid + nohup: the broker outlives the shell (pnpm, CI step) that started it.
  # shellcheck disable=SC2086,SC2046
  setsid nohup java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true $(java_log_opts "$LOG_DIR") \
    -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS" >>"$LOG_DIR/kafka.out" 2>&1 </dev/null &
  pid=$!
  sleep 0.2
  # setsid normally execs in place (same pid); if it had to fork, find the java process by its command line.
  proc_args "$pid"
  if [[ "$ARGS" != *kafka.Kafka* ]]; then
    pid="$(broker_pids | head -n1)"
    [[ -n "$pid" ]] || {
      print_log_tail
      die "the broker process exited right away (see the log above)"
    }
  fi
  echo "$pid" >"$PID_FILE"
  log "starting pid=$pid port=$KAFKA_PORT controller=$KAFKA_CONTROLLER_PORT version=$(kafka_version), waiting up to ${KAFKA_START_TIMEOUT}s ..."

  local rc=0
  probe --timeout "$KAFKA_START_TIMEOUT" --pid "$pid" >"$LOG_DIR/probe.out" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    cat "$LOG_DIR/probe.out" >&2 || true
    print_log_tail
    if [[ $rc -eq 2 ]]; then
      rm -f "$PID_FILE"
      die "the broker exited during startup (see the log above; full logs in $LOG_DIR). Fix the cause, then 'pnpm infra:up' again"
    fi
    die "the broker (pid=$pid, still running) did not answer on $BROKER within ${KAFKA_START_TIMEOUT}s; logs in $LOG_DIR. 'pnpm infra:up' again waits for it (raise KAFKA_START_TIMEOUT on a slow machine); 'pnpm infra:down' stops it; if it keeps failing, 'pnpm infra:down && rm -rf infra/.data/kafka' resets the broker's data"
  fi
  log "started pid=$pid port=$KAFKA_PORT version=$(kafka_version) in $((SECONDS - t0))s ($(cat "$LOG_DIR/probe.out"))"
}

cmd_stop() {
  local pids
  pids="$( (pidfile_pid; broker_pids all) | sort -u | tr '\n' ' ')"
  pids="${pids% }"
  if [[ -z "${pids// /}" ]]; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping pid=$pids ..."
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  local t0=$SECONDS alive p
  while :; do
    alive=""
    for p in $pids; do
      if kill -0 "$p" 2>/dev/null; then alive="$alive $p"; fi
    done
    [[ -z "$alive" ]] && break
    if ((SECONDS - t0 >= KAFKA_STOP_TIMEOUT)); then
      log "still alive after ${KAFKA_STOP_TIMEOUT}s, sending SIGKILL to$alive"
      # shellcheck disable=SC2086
      kill -KILL $alive 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$PID_FILE" "$BROKERS_FILE" "$KAFKA_DATA"/node-*/kafka.pid
  local left
  left="$(broker_pids all | tr '\n' ' ')"
  [[ -z "${left// /}" ]] || die "broker process(es) still present: $left"
  log "stopped in $((SECONDS - t0))s"
}

cmd_status() {
  local pid
  if [[ -n "$(cluster_pids)" ]]; then
    cluster_status
    return $?
  fi
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    local answering=no
    port_open "$KAFKA_PORT" && answering=yes
    log "running pid=$pid port=$KAFKA_PORT controller=$KAFKA_CONTROLLER_PORT version=$(kafka_version) port_open=$answering logs=$LOG_DIR"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    log "stopped (no broker of this checkout), but port $KAFKA_PORT is open (another broker?)"
  else
    log "stopped port=$KAFKA_PORT"
  fi
  return 3
}

############################# Cluster of N nodes #############################

node_dir() { echo "$KAFKA_DATA/node-$1"; }
node_port() { echo $((KAFKA_PORT_BASE + 100 * ($1 - 1))); }
node_controller_port() { echo $((KAFKA_PORT_BASE + 1 + 100 * ($1 - 1))); }

# The pid of node N if it runs, else nothing.
node_pid() {
  local props pid
  props="$(node_dir "$1")/server.properties"
  pid="$(cat "$(node_dir "$1")/kafka.pid" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]]; then
    proc_args "$pid"
    if [[ "$ARGS" == *kafka.Kafka* && "$ARGS" == *"$props"* ]]; then
      echo "$pid"
      return 0
    fi
  fi
  broker_pids "$props" | head -n1
}

# Pids of every running cluster node of this data folder.
cluster_pids() {
  local d
  for d in "$KAFKA_DATA"/node-*; do
    [[ -d "$d" ]] && node_pid "${d##*/node-}"
  done
  return 0
}

cluster_list() {
  local n="$1" i list=""
  for ((i = 1; i <= n; i++)); do list="$list${list:+,}127.0.0.1:$(node_port "$i")"; done
  echo "$list"
}

# Launch all nodes, then wait: a lone node never finishes starting until a second voter is up.
cmd_start_cluster() {
  local n="$1" i pid dir port cport voters="" pids="" launched=0
  ((n >= 3)) || die "--brokers needs at least 3 (replication factor 3, min.insync.replicas 2), or leave it out for one broker"
  [[ -z "$( (pidfile_pid; broker_pids) | head -n1)" ]] ||
    die "the single broker of this data folder runs; stop it first ('pnpm infra:down'), then start the cluster"
  if [[ -s "$CLUSTER_SIZE_FILE" && "$(cat "$CLUSTER_SIZE_FILE")" != "$n" ]]; then
    [[ -z "$(cluster_pids)" ]] || die "a cluster of $(cat "$CLUSTER_SIZE_FILE") brokers runs here; 'pnpm infra:down' first"
    die "the data folder holds a cluster of $(cat "$CLUSTER_SIZE_FILE") brokers (its voters are fixed at format time); 'rm -rf ${KAFKA_DATA#"$PWD"/}/node-*' to start over with $n"
  fi
  command -v java >/dev/null || die "java not found (Kafka 4.x needs Java 17+: apt-get install -y openjdk-17-jre-headless)"
  libs_complete || cmd_fetch
  for ((i = 1; i <= n; i++)); do voters="$voters${voters:+,}$i@127.0.0.1:$(node_controller_port "$i")"; done
  mkdir -p "$KAFKA_DATA"
  echo "$n" >"$CLUSTER_SIZE_FILE"
  local t0=$SECONDS down=() formats=()
  cluster_id >/dev/null
  for ((i = 1; i <= n; i++)); do
    [[ -z "$(node_pid "$i")" ]] || continue
    port="$(node_port "$i")"
    cport="$(node_controller_port "$i")"
    if port_open "$port" || port_open "$cport"; then
      die "port $port or $cport (node $i) is already in use by something else; free it or set KAFKA_PORT_BASE"
    fi
    down+=("$i")
  done
  # Format side by side (one JVM each), then launch every node before waiting for any.
  for i in "${down[@]}"; do
    dir="$(node_dir "$i")"
    mkdir -p "$dir/data" "$dir/logs"
    render_node "$dir/server.properties" "$i" "$(node_port "$i")" "$(node_controller_port "$i")" "$voters" \
      "$dir/data" 3 2 3000 500
    format_node "$dir/server.properties" "$dir/data" "$dir/logs" &
    formats+=($!)
  done
  for pid in "${formats[@]}"; do wait "$pid" || die "formatting a node's storage failed (output above)"; done
  for ((i = 1; i <= n; i++)); do
    dir="$(node_dir "$i")"
    port="$(node_port "$i")"
    pid="$(node_pid "$i")"
    if [[ -z "$pid" ]]; then
      echo "===== $(date -u +%FT%TZ) kafka.sh start node $i (port $port) =====" >>"$dir/logs/kafka.out"
      # setsid + nohup: the broker outlives the shell (pnpm, CI step) that started it.
      # shellcheck disable=SC2086,SC2046
      setsid nohup java $NODE_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
        -Djava.awt.headless=true $(java_log_opts "$dir/logs") \
        -cp "$LIBS_DIR/*" kafka.Kafka "$dir/server.properties" >>"$dir/logs/kafka.out" 2>&1 </dev/null &
      pid=$!
      echo "$pid" >"$dir/kafka.pid"
      launched=$((launched + 1))
      log "node $i: starting pid=$pid port=$port controller=$(node_controller_port "$i")"
    else
      log "node $i: already running pid=$pid port=$port"
    fi
    pids="$pids${pids:+,}$pid"
  done
  local list rc=0
  list="$(cluster_list "$n")"
  probe_cluster "$list" "$n" "$pids" >"$KAFKA_DATA/probe.out" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    cat "$KAFKA_DATA/probe.out" >&2 || true
    for ((i = 1; i <= n; i++)); do
      echo "----- node $i: last 15 lines of server.log -----" >&2
      tail -n 15 "$(node_dir "$i")/logs/server.log" 2>/dev/null >&2 || true
    done
    die "the cluster did not answer with $n brokers on $list within ${KAFKA_START_TIMEOUT}s (logs in ${KAFKA_DATA#"$PWD"/}/node-*/logs); 'pnpm infra:down' stops what started"
  fi
  echo "$list" >"$BROKERS_FILE"
  log "cluster of $n started ($launched launched) in $((SECONDS - t0))s ($(cat "$KAFKA_DATA/probe.out"))"
  log "brokers written to ${BROKERS_FILE#"$PWD"/}"
  echo "KAFKA_BROKERS=$list"
}

probe_cluster() {
  node "$INFRA_DIR/scripts/kafka-probe.mjs" --brokers "$1" --expect "$2" --pid "$3" --timeout "$KAFKA_START_TIMEOUT"
}

# kill -9 one node (for failover tests and for trying it): its partitions move once the controller
# fences it (broker.session.timeout.ms, 3 s). With --term it is a controlled shutdown instead (SIGTERM:
# leadership moves at once; SIGKILL after KAFKA_STOP_TIMEOUT s). `start --brokers N` brings it back.
cmd_kill() {
  local i="${1:-}" how="${2:-}" pid t0=$SECONDS
  [[ "$i" =~ ^[0-9]+$ ]] || die "usage: kafka.sh kill <node number, 1-based> [--term]"
  [[ -z "$how" || "$how" == --term ]] || die "usage: kafka.sh kill <node number, 1-based> [--term]"
  [[ -d "$(node_dir "$i")" ]] || die "no node $i in ${KAFKA_DATA#"$PWD"/} (is a cluster started with --brokers?)"
  pid="$(node_pid "$i")"
  [[ -n "$pid" ]] || die "node $i (port $(node_port "$i")) is not running"
  if [[ "$how" == --term ]]; then
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null && ((SECONDS - t0 < KAFKA_STOP_TIMEOUT)); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  else
    kill -KILL "$pid"
  fi
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$(node_dir "$i")/kafka.pid"
  log "node $i ${how:+stopped (SIGTERM) }killed pid=$pid port=$(node_port "$i") in $((SECONDS - t0))s"
}

cluster_status() {
  local d i pid up=0 total=0
  for d in "$KAFKA_DATA"/node-*; do
    [[ -d "$d" ]] || continue
    i="${d##*/node-}"
    total=$((total + 1))
    pid="$(node_pid "$i")"
    if [[ -n "$pid" ]]; then
      up=$((up + 1))
      log "node $i: running pid=$pid port=$(node_port "$i") controller=$(node_controller_port "$i")"
    else
      log "node $i: stopped port=$(node_port "$i")"
    fi
  done
  log "cluster: $up of $total running; KAFKA_BROKERS=$(cat "$BROKERS_FILE" 2>/dev/null || echo '?')"
  ((up > 0)) || return 3
}

brokers_arg() {
  case "${1:-}" in
  "") echo 1 ;;
  --brokers) [[ "${2:-}" =~ ^[0-9]+$ ]] && echo "$2" || die "--brokers needs a number" ;;
  --brokers=*) [[ "${1#--brokers=}" =~ ^[0-9]+$ ]] && echo "${1#--brokers=}" || die "--brokers needs a number" ;;
  *) die "unknown argument: $1" ;;
  esac
}

case "${1:-}" in
fetch) cmd_fetch ;;
start)
  n="$(brokers_arg "${@:2}")" || exit 1
  if ((n == 1)); then cmd_start; else cmd_start_cluster "$n"; fi
  ;;
kill) cmd_kill "${2:-}" "${3:-}" ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
  echo "usage: $0 {start [--brokers N]|stop|status|kill N [--term]|fetch}" >&2
  exit 64
  ;;
esac
