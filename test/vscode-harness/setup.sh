#!/usr/bin/env bash
# Per-machine setup of the real-VS-Code test harness: code-server 4.100.3 (= VS Code 1.100.3, Node 20)
# + Debian Chromium, driven by playwright-core. Idempotent: a second run with an intact install is a no-op.
#
# Usage: setup.sh [--demo]
#   --demo   only what `npm run demo` needs (code-server): no Chromium, the user brings their own browser.
#
# Needs from the OS (Debian): libkrb5-dev (headers for code-server's native 'kerberos' module) and
# ripgrep (replaces @vscode/ripgrep's GitHub download, which fails offline); the tests also chromium.
#   - missing, running as root with apt-get: installs them itself (one line says what, why, how long)
#   - missing otherwise (not root, no apt-get, or SETUP_APT=0): prints the exact apt-get line, exits 2
# Environment:
#   SETUP_APT=0      never install OS packages, only name them
#   SETUP_FORCE=1    reinstall node_modules even if the stamp says it is current
#   HARNESS_VERBOSE=1  show npm's full output
set -euo pipefail

H="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$H"
T0=$(date +%s)
log() { printf '[harness-setup] %s\n' "$*"; }

FOR_DEMO=0
for arg in "$@"; do
  case "$arg" in
    --demo) FOR_DEMO=1 ;;
    *) log "unknown argument: $arg (usage: setup.sh [--demo])"; exit 2 ;;
  esac
done
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# ---------------------------------------------------------------- OS packages
packages=()   # Debian package names
why=()
if [ "$FOR_DEMO" = 0 ] && [ ! -x "$CHROMIUM" ]; then packages+=(chromium); why+=("chromium renders the VS Code workbench the tests drive"); fi
if [ ! -f /usr/include/gssapi/gssapi.h ] && ! command -v krb5-config >/dev/null 2>&1; then
  packages+=(libkrb5-dev); why+=("libkrb5-dev has the headers code-server's native 'kerberos' module builds against")
fi
if ! command -v rg >/dev/null 2>&1; then packages+=(ripgrep); why+=("ripgrep replaces code-server's ripgrep download, which needs GitHub"); fi

if [ ${#packages[@]} -gt 0 ]; then
  reasons="$(IFS=';'; echo "${why[*]}" | sed 's/;/; /g')"
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && [ "${SETUP_APT:-1}" != "0" ]; then
    estimate="about 20 s"; [[ " ${packages[*]} " == *" chromium "* ]] && estimate="about 1-2 min"
    log "installing OS packages with apt-get: ${packages[*]} ($reasons; $estimate, once per machine)"
    export DEBIAN_FRONTEND=noninteractive
    APT_LOG="$(mktemp -t harness-apt.XXXXXX)"
    if ! { apt-get update -qq && apt-get install -y -qq "${packages[@]}"; } >"$APT_LOG" 2>&1; then
      tail -n 20 "$APT_LOG" >&2
      log "apt-get could not install ${packages[*]} (above; full log $APT_LOG). Install them yourself:"
      log "  apt-get update && apt-get install -y ${packages[*]}"
      exit 2
    fi
    rm -f "$APT_LOG"
    log "installed ${packages[*]} in $(( $(date +%s) - T0 ))s"
  else
    log "missing OS packages: ${packages[*]} ($reasons). Install them, then run this again:"
    if [ "$(id -u)" = "0" ]; then log "  apt-get update && apt-get install -y ${packages[*]}"
    else log "  sudo apt-get update && sudo apt-get install -y ${packages[*]}"; fi
    exit 2
  fi
fi

# ---------------------------------------------------------------- already installed?
# The stamp records the lockfile + Node version a successful `npm ci` was done with, so a changed
# lockfile or Node upgrade triggers a reinstall; the file checks catch a half-deleted node_modules.
STAMP="$H/node_modules/.harness-stamp"
want_stamp="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node --version) $(uname -m)"
CS="$H/node_modules/code-server"
complete() {
  [ -f "$CS/out/node/entry.js" ] &&
  [ -f "$H/node_modules/playwright-core/package.json" ] &&
  [ -d "$CS/lib/vscode/node_modules" ] &&
  ls "$CS"/lib/vscode/node_modules/@vscode/ripgrep/bin/rg >/dev/null 2>&1 &&
  ls "$CS"/lib/vscode/node_modules/node-pty/build/Release/pty.node >/dev/null 2>&1
}
if [ "${SETUP_FORCE:-}" != "1" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ] && complete; then
  log "up to date ($(node -p 'require("./node_modules/code-server/package.json").version' 2>/dev/null) / playwright-core $(node -p 'require("./node_modules/playwright-core/package.json").version')), nothing to do ($(( $(date +%s) - T0 ))s)"
  exit 0
fi

# ---------------------------------------------------------------- ripgrep cache seed
# @vscode/ripgrep (installed by code-server's postinstall inside lib/vscode) downloads rg from
# api.github.com unless "$TMPDIR/vscode-ripgrep-cache-<pkg version>/<asset>" already exists.
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11 -> rg v13.0.0-10; Debian bookworm ships rg 13.0.0 too.
RG_PKG_VERSION=1.15.11
RG_ASSET_VERSION=v13.0.0-10
mkdir -p "$H/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION" "$H/tmp/rg"
cp "$(command -v rg)" "$H/tmp/rg/rg"
case "$(uname -m)" in
  x86_64) targets="x86_64-unknown-linux-musl" ;;
  aarch64|arm64) targets="aarch64-unknown-linux-musl aarch64-unknown-linux-gnu" ;;
  *) targets="$(uname -m)-unknown-linux-gnu" ;;
esac
for t in $targets; do
  tar czf "$H/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION/ripgrep-$RG_ASSET_VERSION-$t.tar.gz" -C "$H/tmp/rg" rg
done
log "seeded @vscode/ripgrep cache from $(command -v rg) ($(rg --version | head -1))"

# ---------------------------------------------------------------- npm ci
# TMPDIR: where @vscode/ripgrep looks for its cache (and keeps node-gyp temp files out of /tmp).
# npm_config_yes=true: node-pty's postinstall runs `npx node-gyp`, and ~/.npmrc may say yes=false.
# --unsafe-perm: code-server's postinstall.sh refuses to run as root without it (npm 11 warns
#   "Unknown cli config" but still exports npm_config_unsafe_perm=true, which is what the script reads).
rm -f "$STAMP"
npm_args=(--no-audit --no-fund --unsafe-perm)
[ -n "${HARNESS_VERBOSE:-}" ] || npm_args+=(--loglevel=error)
if [ -f package-lock.json ]; then
  log "npm ci (code-server + playwright-core; ~80 s with a cold npm cache) ..."
  cmd=(npm ci "${npm_args[@]}")
else
  log "no package-lock.json: npm install (commit the lockfile it writes) ..."
  cmd=(npm install "${npm_args[@]}")
fi
NPM_LOG="$H/tmp/npm-install.log"
if ! TMPDIR="$H/tmp" npm_config_yes=true CI="${CI:-true}" "${cmd[@]}" </dev/null >"$NPM_LOG" 2>&1; then
  tail -n 60 "$NPM_LOG" >&2
  log "npm failed; full log: $NPM_LOG"
  exit 1
fi
[ -z "${HARNESS_VERBOSE:-}" ] || cat "$NPM_LOG"
if ! complete; then
  tail -n 60 "$NPM_LOG" >&2
  log "npm finished but the install is incomplete (code-server's postinstall did not build everything); full log: $NPM_LOG"
  exit 1
fi
want_stamp="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node --version) $(uname -m)"
echo "$want_stamp" > "$STAMP"
log "installed code-server $(node -p 'require("./node_modules/code-server/package.json").version') + playwright-core $(node -p 'require("./node_modules/playwright-core/package.json").version') in $(( $(date +%s) - T0 ))s"
