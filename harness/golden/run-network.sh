#!/usr/bin/env bash
# make golden-net (and the second step of make golden): golden/<fixture>/NAME.net
# from the original module's own scripts, in throwaway network namespaces.
#
#   run-network.sh --netns build/test-netns --fixtures DIR --golden DIR
#
# 1. test-netns --generate --impl original writes NAME.net for every fixture
#    the tier runs (see harness/netns/test-netns.c).
# 2. The same run compares: the original must reproduce its own goldens.
#    That is the tier's self-check; a difference means the dump is not
#    deterministic.
set -euo pipefail

netns= fixtures= golden=
. "$(dirname "$0")/../lib/args.sh"
args_parse "usage: run-network.sh --netns TEST_NETNS --fixtures DIR --golden DIR" netns! fixtures! golden! -- "$@"
[ "$(id -u)" = 0 ] || { echo "run-network.sh: needs root (network namespaces)" >&2; exit 1; }
command -v ip >/dev/null || { echo "run-network.sh: ip (iproute2) is needed" >&2; exit 1; }

# golden/<set>: the set's name is its release label.
release=$(basename "$golden")
"$netns" --generate --impl original --release "$release" --fixtures "$fixtures" --golden "$golden"
"$netns" --impl original --release "$release" --fixtures "$fixtures" --golden "$golden"
