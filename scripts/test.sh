#!/usr/bin/env bash
# The whole test suite: type checks, lint, unit tests, course checks, a production build and
# the end-to-end tests in Debian's Chromium. `npm test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "Chromium is missing: installing Debian's chromium (needs the Debian package mirror)..."
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
	else
		echo "The end-to-end tests need Debian's Chromium at $chromium." >&2
		echo "Install it with: sudo apt-get install chromium fonts-liberation" >&2
		echo "(or set CHROMIUM_PATH to a Chromium binary)." >&2
		exit 1
	fi
fi

echo "== svelte-check"
npm run --silent check
echo "== lint"
npm run --silent lint
echo "== unit tests"
npx vitest run
echo "== build"
npm run --silent build >/dev/null
echo "== end-to-end tests"
npx playwright test
echo "== durability"
npx vitest run --config vitest.durability.config.ts
npm run --silent test:crash
