#!/usr/bin/env bash
# Install Debian's Chromium when it is missing: tests/test_render_html.py opens the HTML report in headless
# Chromium and fails (never skips) without it. Idempotent and quiet; needs root or sudo to install.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

run_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "chromium.sh: chromium is missing and installing it needs root (or sudo)" >&2
    exit 1
  fi
}

# Another install may hold the package manager's locks (a parallel job, unattended upgrades): wait for
# them, up to LOCK_WAIT seconds, instead of failing the whole test command. apt waits for dpkg's lock
# itself (DPkg::Lock::Timeout, apt >= 1.9.11); `apt-get update` does not wait for the package lists' lock
# (/var/lib/apt/lists/lock), so that one is retried here.
LOCK_WAIT="${LICENSECHECK_APT_LOCK_WAIT:-300}"
apt_get() {
  run_root env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=${LOCK_WAIT}" "$@"
}

apt_update() {
  local waited=0 out
  while :; do
    if out="$(apt_get update -qq 2>&1)"; then
      return 0
    fi
    if ! grep -q "Could not get lock" <<<"$out" || [ "$waited" -ge "$LOCK_WAIT" ]; then
      echo "$out" >&2
      return 1
    fi
    echo "chromium.sh: another package install holds the lock; waiting (${waited}s of ${LOCK_WAIT}s)" >&2
    sleep 5
    waited=$((waited + 5))
  done
}

apt_update
apt_get install -y -qq chromium >/dev/null

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium.sh: apt-get installed chromium but it is not on PATH" >&2
  exit 1
fi
