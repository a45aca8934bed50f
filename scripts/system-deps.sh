#!/usr/bin/env bash
# Install the Debian packages gongkai needs (CJK fonts and Pango for PDF, poppler for PDF checks, Chromium for
# browser tests, PostgreSQL for the second test pass). Installs only what is missing; without root it prints the
# command instead of failing, so `make demo` still runs on a machine that already has them.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=(fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0 chromium postgresql)
command -v dpkg-query >/dev/null || { echo "system-deps: not a Debian system; install: ${need[*]}" >&2; exit 0; }
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
((${#missing[@]})) || exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "system-deps: run: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
