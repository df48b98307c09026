#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the browser tests (playwright-core drives /usr/bin/chromium;
# Playwright's own browser download cannot work on these machines).
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "$CHROMIUM" ]]; then
  echo "[infra] chromium: $("$CHROMIUM" --version 2>/dev/null | head -1)"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "[infra] chromium: missing at $CHROMIUM. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
  exit 1
fi
echo "[infra] chromium: missing; installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "[infra] chromium: $("$CHROMIUM" --version 2>/dev/null | head -1)"
