#!/usr/bin/env bash
# The module's start scripts for the live tier's fixtures, rendered by the
# module itself: harness/live/start/<fixture>/NAME.start.
#
#   render-start.sh --lib NIXPKGS_LIB --module MODULE --list FILE --fixtures DIR --out DIR
#
# Each is the unit's `script` (startScript cfg, or the container@ template's
# for an imperative container) from the same evaluation as `make golden`
# (harness/golden/eval.nix), wrapped as NixOS's makeJobScript wraps it
# ("#!/bin/bash -e\n${script}\n") and checked with bash -n, as NixOS checks
# it when it builds the system. The files are generated, never edited; the
# live tier checks that each execs exactly the golden NAME.argv.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
lib= module= list= fixtures= out=
. "$here/../lib/args.sh"
args_parse "usage: render-start.sh --lib NIXPKGS_LIB --module MODULE --list FILE --fixtures DIR --out DIR" \
        lib! module! list! fixtures! out! -- "$@"
for tool in nix-instantiate jq; do
        command -v "$tool" >/dev/null || { echo "render-start.sh: $tool is needed (apt-get install nix-bin jq)" >&2; exit 1; }
done
[ -f "$lib/default.nix" ] || { echo "render-start.sh: $lib is not a nixpkgs lib/ (see golden/README.md)" >&2; exit 1; }
lib=$(realpath "$lib"); module=$(realpath "$module")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for id in $(sed 's/#.*//' "$list"); do
        fixture=$fixtures/$id.json
        # A private local store: toFile writes the container-init there; neither
        # a daemon nor /nix/store is touched.
        NIX_REMOTE= nix-instantiate --store "$work/store" --eval --strict --json --read-write-mode \
                --arg lib "import $lib" --arg module "$module" --arg fixture "$(realpath "$fixture")" \
                "$here/../golden/eval.nix" > "$work/eval.json"
        rm -rf "${out:?}/$id"
        mkdir -p "$out/$id"
        for name in $(jq -r '.containers | keys[]' "$work/eval.json"); do
                { printf '#!/bin/bash -e\n'; jq -j --arg n "$name" '.containers[$n].unit.script' "$work/eval.json"; printf '\n'; } \
                        > "$out/$id/$name.start"
        done
        for name in $(jq -r '(.imperative // {}) | keys[]' "$fixture"); do
                { printf '#!/bin/bash -e\n'; jq -j '.template.script' "$work/eval.json"; printf '\n'; } > "$out/$id/$name.start"
        done
        for script in "$out/$id"/*.start; do
                chmod 0755 "$script"
                bash -n "$script"
        done
        echo "start scripts: $id"
done
