#!/usr/bin/env bash
# The browser for the real-browser tests (test/e2e/browser.test.ts): Debian's chromium, driven by
# playwright-core (a devDependency; playwright's own browser download does not work here).
# Idempotent: does nothing when /usr/bin/chromium is there and playwright-core is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x /usr/bin/chromium ]; then
	echo "[browser] $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
else
	echo "[browser] installing Debian's chromium with apt-get…"
	SUDO=""
	if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
	echo "[browser] installed $(/usr/bin/chromium --version)"
fi

if node -e "require.resolve('playwright-core')" 2>/dev/null; then
	echo "[browser] playwright-core $(node -p "require('playwright-core/package.json').version") installed"
else
	echo "[browser] installing playwright-core (devDependency)…"
	npm install --no-audit --no-fund --no-save playwright-core
fi
