#!/bin/sh
# Makes sure an x86 machine can run the data source backend's linux/arm64 executable for its
# tests: Debian's qemu-user-static plus the arm64 C/C++ runtime the node binary links against.
# Usage (CI, as root): scripts/ensure-qemu-arm64.sh
set -eu
if [ "$(uname -m)" = "aarch64" ]; then
  echo "[ensure-qemu-arm64] arm64 machine: nothing to emulate"
  exit 0
fi
if [ -x /usr/bin/qemu-aarch64-static ] && [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] && [ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ]; then
  echo "[ensure-qemu-arm64] qemu-aarch64-static and the arm64 runtime present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "[ensure-qemu-arm64] installing qemu-user-static and the arm64 runtime"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross >/dev/null
/usr/bin/qemu-aarch64-static --version | head -n 1
