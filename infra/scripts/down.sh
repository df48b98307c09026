#!/usr/bin/env bash
# Stop what infra/scripts/up.sh started: the Kafka broker, or every broker of the cluster. PostgreSQL belongs to the machine and is left
# running. Idempotent.
set -euo pipefail
SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

bash "$SCRIPTS/kafka.sh" stop
echo "[infra] down: kafka stopped (postgres left running: it belongs to the machine)"
