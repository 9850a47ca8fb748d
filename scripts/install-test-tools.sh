#!/usr/bin/env bash
# Installs what the tests need beyond Node and pnpm, from Debian's packages: Go and the reference yamux
# implementation (hashicorp/yamux), which the yamux interop tests build a peer with, and chromium, which the
# websocket transport's browser test drives (playwright-core cannot download a browser here). Does nothing when
# present.
set -euo pipefail
missing=()
if ! command -v go >/dev/null 2>&1; then
  missing+=(golang-go)
fi
if ! dpkg -s golang-github-hashicorp-yamux-dev >/dev/null 2>&1; then
  missing+=(golang-github-hashicorp-yamux-dev)
fi
if [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
