#!/bin/sh
# Makes sure Debian's Chromium is installed for the browser tests (npm run test:browser).
# playwright's own browser downloads are unreachable from CI; Debian's archive is not.
# Usage (CI, as root): scripts/ensure-chromium.sh
set -eu
CHROMIUM="${FLOWATLAS_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "[ensure-chromium] $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "[ensure-chromium] installing Debian's chromium"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
"$CHROMIUM" --version
