#!/usr/bin/env bash
# make golden: produce golden/<fixture>/ from the original module.
#
#   generate.sh --lib NIXPKGS_LIB --module MODULE --out DIR [--state-version V] FIXTURE.json...
#
# --state-version: the host's system.stateVersion for every fixture (else a
# fixture's "hostStateVersion", default "21.05").
# 1. nix-instantiate evaluates the module for the fixture with nixpkgs'
#    lib.evalModules (eval.nix), giving the env files, hosts, unit
#    environments and scripts.
# 2. run-original.sh runs each container's start script as a transient unit
#    of a real systemd user manager (so EnvironmentFile= is systemd's own
#    parser), in a private mount namespace, with a systemd-nspawn that only
#    records its arguments.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
lib= module= out= state_version=
. "$here/../lib/args.sh"
args_parse "usage: generate.sh --lib NIXPKGS_LIB --module MODULE --out DIR [--state-version V] FIXTURE.json..." \
        lib! module! out! state-version ... -- "$@"
set -- "${args_rest[@]}"
for tool in nix-instantiate jq unshare systemd-run; do
        command -v "$tool" >/dev/null || { echo "generate.sh: $tool is needed (apt-get install nix-bin jq systemd util-linux)" >&2; exit 1; }
done
[ -f "$lib/default.nix" ] || { echo "generate.sh: $lib is not a nixpkgs lib/ (see golden/README.md)" >&2; exit 1; }
[ -f "$module" ] || { echo "generate.sh: no module at $module" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "generate.sh: needs root (mount namespace, systemd user manager)" >&2; exit 1; }
lib=$(realpath "$lib"); module=$(realpath "$module")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/store" "$work/eval" "$out"

fixtures=()
for fixture in "$@"; do
        id=$(basename "$fixture" .json)
        # "generate": false: the original cannot run it at all (e.g. a name
        # that is no valid unit name); only the ref's refusal is checked.
        if [ "$(jq -r '.generate == false' "$fixture")" = true ]; then
                rm -rf "${out:?}/$id"
                continue
        fi
        rejected=$(jq -r '.rejected == true' "$fixture")
        # A private local store: toFile writes the container-init there, and
        # neither a daemon nor /nix/store is touched.
        if NIX_REMOTE= nix-instantiate --store "$work/store" --eval --strict --json --read-write-mode \
                --arg lib "import $lib" --arg module "$module" --arg fixture "$(realpath "$fixture")" \
                ${state_version:+--argstr stateVersion "$state_version"} \
                "$here/eval.nix" > "$work/eval/$id.json" 2> "$work/eval/$id.err"; then
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
        fixtures+=("$id")
        jq -c '.guestSystem // {}' "$fixture" > "$work/eval/$id.guest"
done

[ ${#fixtures[@]} -gt 0 ] || exit 0
unshare --mount --propagation private bash "$here/run-original.sh" "$work" "$(realpath "$out")" "${fixtures[@]}"
