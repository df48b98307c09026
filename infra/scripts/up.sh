#!/usr/bin/env bash
# Bring up Timeline's local infrastructure: PostgreSQL (machine-provided, databases ensured) and a
# single-node Kafka broker from Maven Central jars. Idempotent: running it again is a no-op.
set -euo pipefail
SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

t0=$SECONDS
bash "$SCRIPTS/postgres.sh" start
t1=$SECONDS
bash "$SCRIPTS/kafka.sh" fetch
t2=$SECONDS
bash "$SCRIPTS/kafka.sh" start
t3=$SECONDS
echo "[infra] up: postgres=$((t1 - t0))s kafka-fetch=$((t2 - t1))s kafka-start=$((t3 - t2))s total=$((t3 - t0))s" \
  "(KAFKA_BROKERS=127.0.0.1:${KAFKA_PORT:-9092})"
