#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, if any is missing:
# Chromium for the browser tests, LibreOffice to prove exports open, CJK fonts for pages
# and PDFs, gettext for translations, GNU time for benchmarks' peak memory, wrk to load the
# intent endpoint in `make bench`.
set -euo pipefail

packages=(chromium fonts-noto-cjk libreoffice-calc-nogui gettext time postgresql-client poppler-utils wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
