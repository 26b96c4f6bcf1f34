#!/usr/bin/env bash
# Installs what building, testing, fuzzing (clang's libFuzzer) and
# regenerating goldens need on Debian 12.
# dpkg-dev, debhelper, lintian and fakeroot build and check the Debian
# packages (make deb-test), and blhc reads its build log for the flags;
# mandoc lints the man pages (make install-test).
# Run as root. nix-bin and jq are needed only by `make golden`; nix-bin also
# provides /nix, which the conformance suite uses as a mount point to show
# the CLI a ${SYSTEM_PATH}/system file.
set -euo pipefail
. "$(dirname "$0")/../harness/lib/tier.sh"
tier_help "$@"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
        build-essential pkg-config \
        libnl-3-dev libnl-route-3-dev libcap-dev libcunit1-dev libjansson-dev \
        valgrind iproute2 util-linux libcap2-bin \
        dpkg-dev debhelper lintian blhc fakeroot mandoc groff-base man-db \
        nix-bin jq systemd systemd-container \
        clang libclang-rt-14-dev
# nix creates /nix on first use; the conformance suite needs it as a mount
# point (a private tmpfs there holds ${SYSTEM_PATH}/system for the CLI).
mkdir -p /nix
