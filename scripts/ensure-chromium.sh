#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; install it when it is missing and we can.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is missing and cannot be installed here (need root and apt-get);" \
       "the browser tests will fail. Install Debian's chromium package." >&2
fi
