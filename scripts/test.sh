#!/usr/bin/env bash
# The README's test command: installs what the suites need (Debian's Chromium for the browser
# tests), builds the page bundle, then runs every vitest suite.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests…"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ ! -d node_modules ]; then npm ci; fi
npm run --silent build:ui
npx vitest run "$@"
