#!/usr/bin/env bash
# Local PostgreSQL for Timeline: the machine provides the server (Debian cluster), this script only
# makes sure it answers and that the project's databases exist.
#
#   bash infra/scripts/postgres.sh start    start the local cluster if needed, create databases (idempotent)
#   bash infra/scripts/postgres.sh status   running (exit 0) / not answering (exit 3)
#
# Env: DATABASE_URL (postgres://postgres@127.0.0.1:5432/timeline). Databases created: the one named in
#      DATABASE_URL, plus `timeline` and `timeline_test` (used by the tests).
set -euo pipefail

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/timeline}"
PROJECT_DATABASES=(timeline timeline_test)

log() { echo "[infra] postgres: $*"; }
die() {
  echo "[infra] postgres: ERROR: $*" >&2
  exit 1
}

# Split DATABASE_URL into <base>/<db>?<query>.
if [[ ! "$DATABASE_URL" =~ ^(postgres(ql)?://[^/]*)(/([^?]*))?(\?.*)?$ ]]; then
  die "DATABASE_URL does not look like postgres://user@host:port/db: $DATABASE_URL"
fi
URL_BASE="${BASH_REMATCH[1]}"
URL_DB="${BASH_REMATCH[4]:-postgres}"
URL_QUERY="${BASH_REMATCH[5]:-}"
ADMIN_URL="$URL_BASE/postgres$URL_QUERY"
HOSTPORT="${URL_BASE#*://}"
HOSTPORT="${HOSTPORT##*@}"
# The printable form never shows a password.
SAFE_URL="${DATABASE_URL%%://*}://${HOSTPORT}/${URL_DB}"

command -v pg_isready >/dev/null || die "PostgreSQL client tools not found (apt-get install -y postgresql)"

ready() { pg_isready -q -d "$ADMIN_URL" -t 3; }

is_local() {
  case "$HOSTPORT" in
  127.0.0.1* | localhost* | "[::1]"* | "") return 0 ;;
  *) return 1 ;;
  esac
}

start_local_cluster() {
  command -v pg_ctlcluster >/dev/null || die "server not answering at $HOSTPORT and pg_ctlcluster is missing"
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
  [[ -n "$version" ]] || die "no cluster under /etc/postgresql"
  log "server not answering at $HOSTPORT, starting local cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
    die "could not start the cluster (try: pg_ctlcluster --skip-systemctl-redirect $version main start)"
  local i
  for i in $(seq 1 30); do
    ready && return 0
    sleep 1
  done
  die "cluster started but $HOSTPORT does not answer after 30s"
}

ensure_database() {
  local db="$1"
  [[ "$db" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "refusing to create database with unusual name '$db'"
  local exists
  exists="$(psql "$ADMIN_URL" -XAtq -v ON_ERROR_STOP=1 -c "select 1 from pg_database where datname = '$db'")" ||
    die "could not query pg_database at $HOSTPORT"
  if [[ "$exists" == "1" ]]; then
    return 1
  fi
  local out
  if ! out="$(psql "$ADMIN_URL" -Xq -v ON_ERROR_STOP=1 -c "create database \"$db\"" 2>&1)"; then
    # Someone else (a parallel run) may have created it in between.
    [[ "$out" == *"already exists"* ]] && return 1
    die "could not create database $db: $out"
  fi
  return 0
}

cmd_start() {
  if ! ready; then
    is_local || die "server at $HOSTPORT does not answer (not a local address, so not starting anything)"
    start_local_cluster
  fi
  local db created=() existing=()
  local -A seen=()
  for db in "$URL_DB" "${PROJECT_DATABASES[@]}"; do
    [[ -n "${seen[$db]:-}" ]] && continue
    seen[$db]=1
    if ensure_database "$db"; then created+=("$db"); else existing+=("$db"); fi
  done
  local version
  version="$(psql "$ADMIN_URL" -XAtq -c 'show server_version' 2>/dev/null | cut -d' ' -f1)"
  log "ready url=$SAFE_URL version=${version:-?} created=[${created[*]:-}] existing=[${existing[*]:-}]"
}

cmd_status() {
  if ready; then
    log "running at $HOSTPORT (url=$SAFE_URL)"
    return 0
  fi
  log "not answering at $HOSTPORT"
  return 3
}

case "${1:-}" in
start) cmd_start ;;
status) cmd_status ;;
*)
  echo "usage: $0 {start|status}" >&2
  exit 64
  ;;
esac
