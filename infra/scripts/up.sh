#!/usr/bin/env bash
# Bring up Timeline's local infrastructure: PostgreSQL (machine-provided, databases ensured) and a
# single-node Kafka broker from Maven Central jars. Idempotent: running it again is a no-op.
#
#   bash infra/scripts/up.sh                    PostgreSQL and Kafka (`pnpm infra:up`, `pnpm test`)
#   bash infra/scripts/up.sh --store-from-env   Kafka, and PostgreSQL only when DATABASE_URL is set
#                                               (`pnpm start`: unset means the embedded PGlite store,
#                                               so a machine without PostgreSQL can still start the app)
set -euo pipefail
SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

postgres=1
case "${1:-}" in
"") ;;
--store-from-env) [[ -n "${DATABASE_URL:-}" ]] || postgres=0 ;;
*)
  echo "usage: up.sh [--store-from-env]" >&2
  exit 2
  ;;
esac

t0=$SECONDS
if [[ $postgres -eq 1 ]]; then
  bash "$SCRIPTS/postgres.sh" start
else
  echo "[infra] postgres: skipped (DATABASE_URL unset: the app uses the embedded PGlite store)"
fi
t1=$SECONDS
bash "$SCRIPTS/kafka.sh" fetch
t2=$SECONDS
bash "$SCRIPTS/kafka.sh" start
t3=$SECONDS
echo "[infra] up: postgres=$((t1 - t0))s kafka-fetch=$((t2 - t1))s kafka-start=$((t3 - t2))s total=$((t3 - t0))s" \
  "(KAFKA_BROKERS=127.0.0.1:${KAFKA_PORT:-9092})"
