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

run_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium.sh: apt-get installed chromium but it is not on PATH" >&2
  exit 1
fi
