#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; install it when it is missing and we can.
# Two test runs started together (CI and a developer's) take turns: the second waits for the
# first's install and then finds chromium there, instead of failing on apt's lock.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  exec 9>/tmp/sez-ensure-chromium.lock
  flock 9
  if command -v chromium >/dev/null 2>&1; then exit 0; fi
  echo "Installing Debian's chromium for the browser tests"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
else
  echo "chromium is missing and cannot be installed here (need root and apt-get);" \
       "the browser tests will fail. Install Debian's chromium package." >&2
fi
