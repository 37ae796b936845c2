#!/usr/bin/env bash
# Runs a command with Node >= 22 on PATH, and with the project's dependencies installed.
#
# These machines ship Node 20 while the toolchain (WXT 0.21, Vitest 5) needs Node 22. When the
# system node is older, Node 22 comes from the npm registry's `node@22` package into .tools/node22
# (the registry is the only network we have); npm itself then runs on that Node too.
# Usage: scripts/node22.sh <command> [args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major node)" -lt 22 ]; then
  tools="$root/.tools/node22"
  if [ ! -x "$tools/node_modules/.bin/node" ] || [ "$(node_major "$tools/node_modules/.bin/node")" -lt 22 ]; then
    echo "node22: system node is $(node --version 2>/dev/null || echo missing); fetching node@22 from the npm registry" >&2
    mkdir -p "$tools"
    # npm only runs the package's install script (which places the binary) when it is approved.
    printf '{"private":true,"allowScripts":{"node":true}}\n' > "$tools/package.json"
    (cd "$tools" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error node@22 >&2)
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
  export npm_config_nodedir="$tools/node_modules/node"
fi

# Install (or refresh) dependencies when package-lock.json's content changed since the last
# install (a hash, not mtimes: editing package.json's scripts must not reinstall everything).
stamp="$root/node_modules/.install-stamp"
lock_hash="$( (cat "$root/package-lock.json" 2>/dev/null || cat "$root/package.json") | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "node22: installing dependencies with node $(node --version)" >&2
  if [ -f "$root/package-lock.json" ]; then
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
  else
    (cd "$root" && npm install --no-audit --no-fund --loglevel=error >&2)
  fi
  echo "$lock_hash" > "$stamp"
fi

cd "$root"
exec "$@"
