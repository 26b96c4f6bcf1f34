#!/usr/bin/env bash
# make golden: produce golden/<fixture>/ from the original module.
#
#   generate.sh --lib NIXPKGS_LIB --module MODULE --out DIR [--release LABEL] [--state-version V]
#               [--export-only] FIXTURE.json...
#
# --state-version: the host's system.stateVersion for every fixture (else a
# fixture's "hostStateVersion", default "21.05"). --release: the host's
# system.nixos.release (default 21.05), which containers.json records.
# Each fixture the module accepts also gets containers.json: the host's
# containers as ref/nix/export-containers.nix exports them (eval.nix with
# `export = true`, an evaluation of its own). --export-only (make golden-export): only that file, for the
# fixtures whose golden DIR/ID/ is there without an eval-error; nix
# evaluation only (no root, no start script run).
# 1. nix-instantiate evaluates the module for the fixture with nixpkgs'
#    lib.evalModules (eval.nix), giving the env files, hosts, unit
#    environments and scripts.
# 2. run-original.sh runs each container's start script as a transient unit
#    of a real systemd user manager (so EnvironmentFile= is systemd's own
#    parser), in a private mount namespace, with a systemd-nspawn that only
#    records its arguments.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
lib= module= out= state_version= release=21.05 export_only=no
. "$here/../lib/args.sh"
args_parse "usage: generate.sh --lib NIXPKGS_LIB --module MODULE --out DIR [--state-version V] [--release R] [--export-only] FIXTURE.json..." \
        lib! module! out! state-version release export-only? ... -- "$@"
set -- "${args_rest[@]}"
tools="nix-instantiate jq"
[ $export_only = yes ] || tools="$tools unshare systemd-run"
for tool in $tools; do
        command -v "$tool" >/dev/null || { echo "generate.sh: $tool is needed (apt-get install nix-bin jq systemd util-linux)" >&2; exit 1; }
done
[ -f "$lib/default.nix" ] || { echo "generate.sh: $lib is not a nixpkgs lib/ (see golden/README.md)" >&2; exit 1; }
[ -f "$module" ] || { echo "generate.sh: no module at $module" >&2; exit 1; }
[ $export_only = yes ] || [ "$(id -u)" = 0 ] || { echo "generate.sh: needs root (mount namespace, systemd user manager)" >&2; exit 1; }
lib=$(realpath "$lib"); module=$(realpath "$module")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/store" "$work/eval" "$out"

# evaluate FIXTURE [NIX-INSTANTIATE-ARGS...]: eval.nix for the fixture, in a
# private local store (toFile writes the container-init there, and neither
# a daemon nor /nix/store is touched).
evaluate() {
        local fixture=$1; shift
        NIX_REMOTE= nix-instantiate --store "$work/store" --eval --strict --json --read-write-mode \
                --arg lib "import $lib" --arg module "$module" --arg fixture "$(realpath "$fixture")" \
                --argstr release "$release" ${state_version:+--argstr stateVersion "$state_version"} \
                "$@" "$here/eval.nix"
}

# export_fixture FIXTURE: $out/ID/containers.json for a fixture the module accepts,
# its keys in the order the format lists them.
export_fixture() {
        local id
        id=$(basename "$1" .json)
        if ! evaluate "$1" --arg export true > "$work/export.json" 2> "$work/export.err"; then
                echo "generate.sh: $1: the module accepts it, but the export fails:" >&2
                cat "$work/export.err" >&2
                exit 1
        fi
        jq '{format, release, stateVersion, enableContainers, containers}' "$work/export.json" > "$out/$id/containers.json"
}

if [ $export_only = yes ]; then
        for fixture in "$@"; do
                id=$(basename "$fixture" .json)
                if [ -d "$out/$id" ] && [ ! -e "$out/$id/eval-error" ]; then
                        export_fixture "$fixture"
                fi
        done
        exit 0
fi

fixtures=() accepted=()
for fixture in "$@"; do
        id=$(basename "$fixture" .json)
        # "generate": false: the original cannot run it at all (e.g. a name
        # that is no valid unit name); only the ref's refusal is checked.
        if [ "$(jq -r '.generate == false' "$fixture")" = true ]; then
                rm -rf "${out:?}/$id"
                continue
        fi
        rejected=$(jq -r '.rejected == true' "$fixture")
        if evaluate "$fixture" > "$work/eval/$id.json" 2> "$work/eval/$id.err"; then
                if [ "$rejected" = true ]; then
                        echo "generate.sh: $fixture says \"rejected\", but the module accepts it" >&2
                        exit 1
                fi
        elif grep -q '^error:' "$work/eval/$id.err"; then
                # The module's own refusal is the golden (a fixture marked
                # "rejected", or an option this release does not have, a value
                # its types refuse, a failing assertion): the first line of
                # Nix's error, which names the option (no paths: definitions
                # come from <unknown-file>).
                rm -rf "${out:?}/$id"
                mkdir -p "$out/$id"
                grep -m 1 '^error:' "$work/eval/$id.err" | sed "s|$lib|<lib>|g; s|$module|<module>|g" \
                        > "$out/$id/eval-error"
                if [ "$rejected" = true ]; then
                        echo "golden: $id (the module refuses it)"
                else
                        echo "golden: $id (the module refuses it, although the fixture is not marked rejected)"
                fi
                continue
        else
                echo "generate.sh: $fixture: nix-instantiate failed without an evaluation error:" >&2
                cat "$work/eval/$id.err" >&2
                exit 1
        fi
        # Imperative containers (nixos-container create): no entry in the
        # module's config; the conf is the one nixos-container writes, and the
        # unit is the container@ template.
        jq --slurpfile f "$fixture" '. as $e | reduce (($f[0].imperative // {}) | to_entries[]) as $i
                ($e; .containers[$i.key] = {conf: $i.value, unit: $e.template,
                 envFile: (if $e.template == null then "/etc/containers/\($i.key).conf" else
                           $e.template.service.serviceConfig.EnvironmentFile | ltrimstr("-") | gsub("%i"; $i.key) end)})' \
                "$work/eval/$id.json" > "$work/eval/$id.merged" && mv "$work/eval/$id.merged" "$work/eval/$id.json"
        fixtures+=("$id") accepted+=("$fixture")
        jq -c '.guestSystem // {}' "$fixture" > "$work/eval/$id.guest"
done

[ ${#fixtures[@]} -gt 0 ] || exit 0
unshare --mount --propagation private bash "$here/run-original.sh" "$work" "$(realpath "$out")" "${fixtures[@]}"
# (After run-original.sh, which makes each fixture's folder anew.)
for fixture in "${accepted[@]}"; do
        export_fixture "$fixture"
done
