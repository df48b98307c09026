#!/usr/bin/env bash
# Local single-node Kafka (KRaft) for Timeline, run from Maven Central jars (no Docker needed).
#
#   bash infra/scripts/kafka.sh fetch    resolve the broker jars into infra/kafka/libs (once)
#   bash infra/scripts/kafka.sh start    format storage if needed, start the broker, wait until it answers
#   bash infra/scripts/kafka.sh stop     stop the broker (SIGTERM, then SIGKILL after 30 s)
#   bash infra/scripts/kafka.sh status   running (exit 0) / stopped (exit 3)
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP_OPTS (-Xms256m -Xmx768m),
#      KAFKA_START_TIMEOUT seconds (90), INFRA_DATA_DIR (infra/.data).
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
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
BROKER="127.0.0.1:$KAFKA_PORT"

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

# PIDs of java processes running kafka.Kafka with OUR server.properties (read from /proc, so no grep
# process ever matches itself).
broker_pids() {
  local d
  for d in /proc/[0-9]*; do
    proc_args "${d#/proc/}"
    if [[ "$ARGS" == *kafka.Kafka* && "$ARGS" == *"$PROPS"* ]]; then
      echo "${d#/proc/}"
    fi
  done
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

render_properties() {
  mkdir -p "$KAFKA_DATA/data" "$LOG_DIR"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
    -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_LOG_DIRS@|$KAFKA_DATA/data|g" \
    "$KAFKA_DIR/server.properties.template" >"$PROPS"
}

java_log_opts() {
  echo "-Dlog4j2.configurationFile=file:$KAFKA_DIR/log4j2.xml -Dkafka.logs.dir=$1"
}

format_storage() {
  if [[ -f "$KAFKA_DATA/data/meta.properties" ]]; then
    return 0
  fi
  local cid
  if [[ -s "$CLUSTER_ID_FILE" ]]; then
    cid="$(cat "$CLUSTER_ID_FILE")"
  else
    # shellcheck disable=SC2046
    cid="$(java $(java_log_opts "$LOG_DIR/storage-tool") -cp "$LIBS_DIR/*" kafka.tools.StorageTool random-uuid | tail -n1)"
    [[ -n "$cid" ]] || die "kafka.tools.StorageTool random-uuid printed nothing"
    echo "$cid" >"$CLUSTER_ID_FILE"
  fi
  log "formatting storage (cluster id $cid) in ${KAFKA_DATA#"$PWD"/}/data"
  # Static controller.quorum.voters: no --standalone.
  # shellcheck disable=SC2046
  java $(java_log_opts "$LOG_DIR/storage-tool") -cp "$LIBS_DIR/*" kafka.tools.StorageTool \
    format -t "$cid" -c "$PROPS" --ignore-formatted >"$LOG_DIR/storage-format.out" 2>&1 ||
    {
      cat "$LOG_DIR/storage-format.out" >&2
      die "storage format failed"
    }
}

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
  pids="$( (pidfile_pid; broker_pids) | sort -u | tr '\n' ' ')"
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
    if ((SECONDS - t0 >= 30)); then
      log "still alive after 30s, sending SIGKILL to$alive"
      # shellcheck disable=SC2086
      kill -KILL $alive 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$PID_FILE"
  local left
  left="$(broker_pids | tr '\n' ' ')"
  [[ -z "${left// /}" ]] || die "broker process(es) still present: $left"
  log "stopped in $((SECONDS - t0))s"
}

cmd_status() {
  local pid
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

case "${1:-}" in
fetch) cmd_fetch ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
  echo "usage: $0 {start|stop|status|fetch}" >&2
  exit 64
  ;;
esac
