#!/usr/bin/env bash
# The README's test command, which CI runs too (.ci/run): the type check, the linter (no warnings),
# then every vitest suite, after installing what the suites need (Debian's Chromium for the browser
# tests) and building the page bundle. With arguments (`npm test -- tests/http`) it runs only those
# suites, for a quicker loop.
set -euo pipefail
cd "$(dirname "$0")/.."

# ORT's CUDA download is skipped by allowScripts on npm 11.16+, by this variable on older npm.
if [ ! -d node_modules ]; then ONNXRUNTIME_NODE_INSTALL=skip npm ci; fi

if [ "$#" -eq 0 ]; then
  echo "Type check: tsc --noEmit"
  npx tsc --noEmit -p .
  echo "Lint: eslint --max-warnings 0 ."
  npx eslint --max-warnings 0 .
fi

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests…"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

npm run --silent build:ui
npx vitest run "$@"
