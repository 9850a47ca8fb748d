#!/usr/bin/env bash
# Installs what the tests need beyond Node and pnpm, from Debian's packages: Go and the reference yamux
# implementation (hashicorp/yamux), which the yamux interop tests build a peer with. Does nothing when present.
set -euo pipefail
if command -v go >/dev/null 2>&1 && dpkg -s golang-github-hashicorp-yamux-dev >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq golang-go golang-github-hashicorp-yamux-dev >/dev/null
