#!/usr/bin/env bash
# Per-machine setup of the real-VS-Code test harness: code-server 4.100.3 (= VS Code 1.100.3, Node 20)
# + Debian Chromium, driven by playwright-core. Idempotent: a second run with an intact install is a no-op.
#
# Needs from the OS (Debian): chromium, libkrb5-dev (headers for code-server's native 'kerberos' module),
# ripgrep (replaces @vscode/ripgrep's GitHub download, which fails offline).
#   - missing and not (root with SETUP_APT=1): prints the apt-get line and exits 2
#   - SETUP_APT=1 as root: installs them (DEBIAN_FRONTEND=noninteractive)
# Environment:
#   SETUP_APT=1      allow this script to apt-get install the OS packages (root only)
#   SETUP_FORCE=1    reinstall node_modules even if the stamp says it is current
#   HARNESS_VERBOSE=1  show npm's full output
set -euo pipefail

H="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$H"
T0=$(date +%s)
log() { printf '[harness-setup] %s\n' "$*"; }

APT_PACKAGES="chromium libkrb5-dev ripgrep"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# ---------------------------------------------------------------- OS packages
missing=()
[ -x "$CHROMIUM" ] || missing+=("chromium ($CHROMIUM)")
if [ ! -f /usr/include/gssapi/gssapi.h ] && ! command -v krb5-config >/dev/null 2>&1; then missing+=("libkrb5-dev (gssapi headers)"); fi
command -v rg >/dev/null 2>&1 || missing+=("ripgrep (rg)")

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && [ "${SETUP_APT:-}" = "1" ]; then
    log "installing OS packages: $APT_PACKAGES (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq $APT_PACKAGES >/dev/null
  else
    log "missing OS packages: ${missing[*]}"
    echo "Install them with:"
    echo "  apt-get install -y chromium libkrb5-dev ripgrep"
    echo "(as root; or re-run this script as root with SETUP_APT=1 to let it do that)"
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
