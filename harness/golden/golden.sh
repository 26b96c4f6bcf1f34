#!/usr/bin/env bash
# make golden: golden/<set>/ for every release the suite follows, from each
# release's own module, evaluated with a nixpkgs lib of its own time.
#
#   golden.sh --netns TEST_NETNS [--release LABEL] [--module FILE --lib DIR] [--no-net]
#   golden.sh --export-only [--release LABEL] [--module FILE --lib DIR]
#
# Releases are the lines of harness/golden/releases. A release whose module
# reads system.stateVersion gives two sets: golden/RELEASE/ (the host at
# stateVersion 21.05, or a fixture's own hostStateVersion) and
# golden/RELEASE@V/ (the host at the release's own stateVersion V).
# --release LABEL: only that release. With --module and --lib, LABEL may be
# a release of one's own (a module being worked on, a nixpkgs checkout or
# its lib/); its own stateVersion is the lib's release.
# Each set's SOURCE says which module and which lib made it.
# --export-only (make golden-export): of each set, only the fixtures'
# containers.json (generate.sh --export-only), by nix evaluation alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
netns= only= module= lib= no_net= export_only=
usage="usage: golden.sh --netns TEST_NETNS [--release LABEL] [--module FILE --lib DIR] [--no-net]; golden.sh --export-only [...]"
. "$top/harness/lib/args.sh"
args_parse "$usage" netns release=only module lib no-net? export-only? -- "$@"
# --export-only: the containers.json files alone, by nix evaluation (no network part).
[ -z "$export_only" ] || export_only=--export-only no_net=yes
[ -n "$netns" ] || [ -n "$no_net" ] || args_wrong "$usage" "--netns is needed unless --no-net or --export-only"
if [ -n "$module$lib" ] && { [ -z "$module" ] || [ -z "$lib" ] || [ -z "$only" ]; }; then
        echo "golden.sh: --module and --lib go together, with --release LABEL" >&2; exit 2
fi
cd "$top"

# set_source SET MODULE LIB-COMMIT STATE-VERSION
set_source() {
        {
                echo "# What made golden/$1/ (written by make golden)"
                echo "release: ${1%@*}"
                echo "module: $(basename "$(dirname "$2")")/$(basename "$2")"
                echo "module sha256: $(sha256sum "$2" | cut -d' ' -f1)"
                echo "nixpkgs lib: $3"
                echo "host stateVersion: $4"
        } > "golden/$1/SOURCE"
}

# make_set SET MODULE LIB LIB-COMMIT [STATE-VERSION]
make_set() {
        local set=$1 mod=$2 l=$3 commit=$4 sv=${5:-}
        local args=(--lib "$l" --module "$mod" --release "${set%@*}" ${sv:+--state-version "$sv"} $export_only)
        mkdir -p "golden/$set"
        bash "$here/generate.sh" "${args[@]}" --out "golden/$set" fixtures/*.json
        bash "$here/generate.sh" "${args[@]}" --out "golden/$set/invalid" fixtures/invalid/*.json
        [ -z "$export_only" ] || return 0
        set_source "$set" "$mod" "$commit" "${sv:-21.05, or the hostStateVersion a fixture sets}"
        if [ -z "$no_net" ]; then
                bash "$here/run-network.sh" --netns "$netns" --fixtures fixtures --golden "golden/$set"
        fi
}

# The stub's systemd path escaping against systemd-escape, with the newest
# lib of the table (older libs lack lib.strings.normalizePath; only the
# releases that use the escaping call it).
newest=$(awk '!/^#/ && NF { c = $3; r = $1 } END { print c " " r }' "$here/releases")
if [ -z "$export_only" ]; then
        bash "$here/fetch-lib.sh" $newest "${NIXPKGS_LIB_REPO:-https://github.com/nix-community/nixpkgs.lib}"
        bash "$here/check-escape.sh" ".cache/nixpkgs-lib/${newest%% *}/lib"
fi

found=no
if [ -n "$module" ]; then
        [ -f "$lib/lib/default.nix" ] && lib=$lib/lib
        # The checkout's commit, when lib/ is the top of a git checkout's lib/.
        root=$(cd "$lib/.." && pwd)
        if [ "$(git -C "$root" rev-parse --show-toplevel 2> /dev/null)" = "$root" ]; then
                commit=$(git -C "$root" rev-parse HEAD)
        else
                commit="a lib/ outside a git checkout"
        fi
        own=$(nix-instantiate --eval --json -E "(import $(realpath "$lib")).trivial.release" 2>/dev/null | tr -d '"')
        make_set "$only" "$module" "$lib" "$commit"
        if grep -q stateVersion "$module" && [ -n "$own" ]; then
                make_set "$only@$own" "$module" "$lib" "$commit" "$own"
        fi
        exit 0
fi
while read -r release mod commit own; do
        case $release in ''|'#'*) continue ;; esac
        [ -z "$only" ] || [ "$only" = "$release" ] || continue
        found=yes
        bash "$here/fetch-lib.sh" "$commit" "$release" "${NIXPKGS_LIB_REPO:-https://github.com/nix-community/nixpkgs.lib}"
        make_set "$release" "$mod" ".cache/nixpkgs-lib/$commit/lib" "$commit"
        if [ "$own" != - ]; then
                make_set "$release@$own" "$mod" ".cache/nixpkgs-lib/$commit/lib" "$commit" "$own"
        fi
done < "$here/releases"
[ $found = yes ] || { echo "golden.sh: no release $only in harness/golden/releases" >&2; exit 2; }
