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

# Node 24's V8 can abort a whole test process with "Check failed: jit_page" (its JIT page
# registry, under worker-thread churn: nodejs/node#64500; seen once in five full runs here). Only
# that crash earns one more run of the suites; any failing test fails at once.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
npx vitest run "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ] && grep -q "Check failed: jit_page" "$log" && ! grep -qE "Tests.*[0-9]+ failed" "$log"; then
  echo "V8 aborted a test process (Check failed: jit_page): running the suites once more"
  npx vitest run "$@"
  exit $?
fi
exit "$status"
