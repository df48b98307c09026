#!/usr/bin/env bash
# Build a workspace package (and what it depends on), then run one of its entry points with the
# remaining arguments: `pnpm timeline` and `pnpm seed` need no separate build on a fresh clone, and a
# stale dist/ is rebuilt. Turbo's cache keeps the usual case (nothing changed) to a second or two.
# Turbo's output is shown only when the build fails, on stderr: stdout belongs to the program
# (`pnpm timeline export > items.jsonl` must hold only the export).
#
#   bash infra/scripts/build-and-run.sh @timeline/cli apps/cli/dist/main.js [--] [args...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
package="${1:?usage: build-and-run.sh <workspace package> <entry point> [args...]}"
entry="${2:?usage: build-and-run.sh <workspace package> <entry point> [args...]}"
shift 2
# `pnpm timeline -- stats` forwards the `--` itself; the program's first argument is its command.
if [[ "${1:-}" == "--" ]]; then shift; fi

if ! output="$(cd "$ROOT" && pnpm exec turbo run build --filter="$package..." --output-logs=errors-only 2>&1)"; then
  printf '%s\n' "$output" >&2
  echo "[build] building $package failed (output above)" >&2
  exit 1
fi
exec node "$ROOT/$entry" "$@"
