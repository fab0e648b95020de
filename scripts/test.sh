#!/usr/bin/env bash
# The whole test suite: type checks, lint, unit tests, course checks, a production build and
# the end-to-end tests in Debian's Chromium. `npm test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
# Debian packages the tests drive: Chromium for the end-to-end tests, poppler-utils to read
# certificate and transcript PDFs back (pdftotext, pdftoppm, pdffonts).
missing=()
[ -x "$chromium" ] || missing+=(chromium fonts-liberation)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "Installing Debian's ${missing[*]} (needs the Debian package mirror)..."
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	else
		echo "The tests need Debian's ${missing[*]}." >&2
		echo "Install them with: sudo apt-get install ${missing[*]}" >&2
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
