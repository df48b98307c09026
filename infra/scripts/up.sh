#!/usr/bin/env bash
# Bring up Timeline's local infrastructure: PostgreSQL (machine-provided, databases ensured) and Kafka
# from Maven Central jars: one broker, or a KRaft cluster with --brokers N. Idempotent: running it again
# is a no-op (or restarts the cluster's nodes that are down).
#
#   bash infra/scripts/up.sh                    PostgreSQL and one Kafka broker (`pnpm infra:up`, `pnpm test`)
#   bash infra/scripts/up.sh --brokers 3        PostgreSQL and three brokers on 9092/9192/9292; prints
#                                               KAFKA_BROKERS and writes it to infra/.data/kafka/brokers
#   bash infra/scripts/up.sh --store-from-env   Kafka, and PostgreSQL only when DATABASE_URL is set
#                                               (`pnpm start`: unset means the embedded PGlite store,
#                                               so a machine without PostgreSQL can still start the app)
set -euo pipefail
SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

postgres=1
brokers=1
usage() {
  echo "usage: up.sh [--store-from-env] [--brokers N]" >&2
  exit 2
}
while (($# > 0)); do
  case "$1" in
  --store-from-env) [[ -n "${DATABASE_URL:-}" ]] || postgres=0 ;;
  --brokers)
    [[ "${2:-}" =~ ^[0-9]+$ ]] || usage
    brokers="$2"
    shift
    ;;
  --brokers=*) brokers="${1#--brokers=}" ;;
  *) usage ;;
  esac
  shift
done

t0=$SECONDS
if [[ $postgres -eq 1 ]]; then
  bash "$SCRIPTS/postgres.sh" start
else
  echo "[infra] postgres: skipped (DATABASE_URL unset: the app uses the embedded PGlite store)"
fi
t1=$SECONDS
bash "$SCRIPTS/kafka.sh" fetch
t2=$SECONDS
if [[ "$brokers" == 1 ]]; then
  bash "$SCRIPTS/kafka.sh" start
  list="127.0.0.1:${KAFKA_PORT:-9092}"
else
  bash "$SCRIPTS/kafka.sh" start --brokers "$brokers"
  list="$(cat "${INFRA_DATA_DIR:-$SCRIPTS/../.data}/kafka/brokers")"
fi
t3=$SECONDS
echo "[infra] up: postgres=$((t1 - t0))s kafka-fetch=$((t2 - t1))s kafka-start=$((t3 - t2))s total=$((t3 - t0))s" \
  "(KAFKA_BROKERS=$list)"
