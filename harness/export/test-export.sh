#!/usr/bin/env bash
# make export-test: a host's containers exported by ref/nix/export-containers.nix
# and fed to the CLI give what the module gave.
#
#   test-export.sh [--cli "CMD"] [--golden DIR] [--bare] [--release SET]... [SET]...
#
# The sets are golden/<SET>/ (--release SET and a bare SET say the same;
# default: every set). CMD: the CLI, word by word (default
# build/nixcontainer; "valgrind ... build/nixcontainer-memcheck" runs it under
# valgrind), its first word a path. Each fixture the module accepts has
# golden/<SET>/<fixture>/containers.json (make golden-export): the stub host
# of harness/golden/eval.nix for that fixture, exported. For each, the CLI
# (`--compat` for a fixture marked so) must print the set's goldens:
#   env-file --config containers.json NAME   NAME.conf
#   hosts --config containers.json           hosts
#   argv -0 --config containers.json NAME    NAME.argv (as the conformance tier
#                                            runs it: the golden env file, PATH
#                                            of the unit, ${SYSTEM_PATH}/system
#                                            in a private /nix; root), or, where
#                                            the start script failed
#                                            (NAME.start-error), a refusal
# The CLI reads the file's release and stateVersion itself. --bare gives it
# the file's "containers" alone, the old form (for a CLI that does not read
# the envelope; only the 21.05 set can pass then).
#
# Before them, the expression itself: `nix-instantiate --parse`, its output
# for a stand-in config (stand-in-config.nix, .json; both need nix, skipped
# without), and per set the format of every containers.json: the format tag,
# the set's release and stateVersion, no `config`, `pkgs` or `_module`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tier.sh"
tier_begin export
cd "$here/../.." || exit 2

usage() {
        echo "usage: test-export.sh [--cli \"CMD\"] [--golden DIR] [--bare] [--release SET]... [SET]..." >&2
        exit 2
}
cli=build/nixcontainer golden=golden bare=no sets=()
while [ $# -gt 0 ]; do
        case $1 in
        --cli) [ $# -ge 2 ] || usage; cli=$2; shift 2 ;;
        --golden) [ $# -ge 2 ] || usage; golden=$2; shift 2 ;;
        --bare) bare=yes; shift ;;
        --release) [ $# -ge 2 ] || usage; sets+=("$2"); shift 2 ;;
        -*) usage ;;
        *) sets+=("$1"); shift ;;
        esac
done
if [ ${#sets[@]} = 0 ]; then
        for source in "$golden"/*/SOURCE; do
                set=${source%/SOURCE}
                sets+=("${set##*/}")
        done
fi
read -ra words <<< "$cli"
[ ${#words[@]} -gt 0 ] && [ -x "${words[0]}" ] || {
        echo "test-export.sh: no CLI at ${words[0]:-''} (make)" >&2
        exit 2
}
# (Absolute: argv runs with the unit's PATH only.)
words[0]=$(realpath "${words[0]}") cli=${words[*]}
tier_scratch

# ---- the expression ------------------------------------------------------
expression=ref/nix/export-containers.nix
if command -v nix-instantiate > /dev/null; then
        tier_run nix-instantiate --parse "$expression"
        tier_check "$expression: nix-instantiate --parse" $?
        tier_run sh -c 'nix-instantiate --eval --strict --json --argstr expression "$1" --argstr config "$2" \
                -E "{ expression, config }: import (/. + expression) (import (/. + config))" > "$3" \
                && jq -e --slurpfile want "$4" \
                "{format, release, stateVersion, containers} == \$want[0]" "$3" > /dev/null \
                || { echo "export of $2:"; jq . "$3"; exit 1; }' \
                sh "$(realpath "$expression")" "$here/stand-in-config.nix" "$tier_work/stand-in.json" \
                "$here/stand-in-config.json"
        tier_check "$expression: a stand-in config exported as harness/export/stand-in-config.json says" $?
else
        tier_skip "$expression: nix-instantiate --parse, a stand-in config" "no nix-instantiate (apt-get install nix-bin)"
fi

# The format of a set's containers.json files (FILE... on standard input).
check_format() {
        local set=$1 file id fixture sv
        while read -r file; do
                id=${file%/containers.json} && id=${id##*/}
                fixture=fixtures/$id.json
                [[ $file == */invalid/* ]] && fixture=fixtures/invalid/$id.json
                # The host's stateVersion: RELEASE@V's V, else the fixture's own, else 21.05.
                if [[ $set == *@* ]]; then sv=${set#*@}; else sv=$(jq -r '.hostStateVersion // "21.05"' "$fixture"); fi
                jq -e --arg release "${set%@*}" --arg sv "$sv" '
                        .format == "nixcontainer-containers/1" and .release == $release
                        and .stateVersion == $sv and (.containers | type) == "object"
                        and ([.containers[] | keys[] | select(. == "config" or . == "pkgs")] == [])
                        and ([paths | select(.[-1] == "_module")] == [])' "$file" > /dev/null \
                        || { echo "$file: not the format (release ${set%@*}, stateVersion $sv):"; jq -c 'del(.containers)' "$file"; }
        done | grep . && return 1
        return 0
}

# ---- each fixture through the CLI ----------------------------------------
# check_fixture SET FIXTURE-JSON GOLDEN-DIR: in a child of its own
# (tier_run); prints what differs.
check_fixture() {
        local set=$1 fixture=$2 dir=$3 status=0 compat=() config name path guest argv i system run
        config=$dir/containers.json
        read -ra run <<< "$cli"
        if [ "$bare" = yes ]; then
                config=$tier_work/bare.json
                jq .containers "$dir/containers.json" > "$config" || return 1
        fi
        [ "$(jq -r '.compat == true' "$fixture")" = true ] && compat=(--compat)
        # A refused config: nothing else to compare.
        "${run[@]}" hosts --config "$config" "${compat[@]}" > "$tier_work/hosts" || return 1
        cmp -s "$tier_work/hosts" "$dir/hosts" || { echo "hosts differs:"; diff "$tier_work/hosts" "$dir/hosts"; status=1; }
        for name in $(jq -r '.containers | keys[]' "$dir/containers.json"); do
                "${run[@]}" env-file --config "$config" "$name" "${compat[@]}" > "$tier_work/conf" || status=1
                cmp -s "$tier_work/conf" "$dir/$name.conf" \
                        || { echo "$name.conf differs:"; diff "$tier_work/conf" "$dir/$name.conf"; status=1; }
                [ "$argv_runs" = yes ] || continue
                if [ -e "$dir/$name.start-error" ]; then
                        # The original's start script failed: the CLI refuses.
                        if "${run[@]}" argv --env-file "$dir/$name.conf" --config "$config" "$name" "${compat[@]}" \
                                > "$tier_work/argv" 2> /dev/null || [ -s "$tier_work/argv" ]; then
                                echo "$name: the original's start script failed; the CLI gave an argv"
                                status=1
                        fi
                        continue
                fi
                [ -e "$dir/$name.argv" ] || continue
                mapfile -d '' argv < "$dir/$name.argv"
                path=$(sed -n 's/^PATH=//p' "$dir/$name.unit-env")
                guest=$(jq -r --arg n "$name" '.guestSystem[$n] // "x86_64-linux"' "$fixture")
                # ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/NAME/system}/system,
                # SYSTEM_PATH as systemd parses the env file: where it is set,
                # the last argument is "${SYSTEM_PATH}/init" (from 25.11 on, an
                # unset one gives /nix/var/nix/profiles/system/init, the
                # container's own profile), unless a value pasted into the
                # script cut its exec line short (compat-tmpfs-newline).
                system=$(sed -n 's/^SYSTEM_PATH=//p' "$dir/$name.conf")
                for ((i = ${#argv[@]} - 1; i > 0 && ${#system} > 0; i--)); do
                        [[ ${argv[i]} == */init ]] && { system=${argv[i]%/init}; break; }
                done
                [ -n "$system" ] && [ "$system" != /nix/var/nix/profiles/system ] \
                        || system=/nix/var/nix/profiles/per-container/$name/system
                unshare --mount --propagation private sh -c 'mount -t tmpfs -o mode=0755 tmpfs /nix \
                        && mkdir -p "$1" && printf "%s\n" "$2" > "$1/system" && shift 2 && exec "$@"' \
                        sh "$system" "$guest" env -i "PATH=$path" "${run[@]}" argv -0 --env-file "$dir/$name.conf" \
                        --init "${argv[-2]}" --nspawn "${argv[0]}" --config "$config" "$name" "${compat[@]}" \
                        > "$tier_work/argv" || status=1
                cmp -s "$tier_work/argv" "$dir/$name.argv" || {
                        echo "$name.argv differs:"
                        diff <(tr '\0' '\n' < "$tier_work/argv") <(tr '\0' '\n' < "$dir/$name.argv")
                        status=1
                }
        done
        return $status
}

argv_runs=no
if [ "$(id -u)" = 0 ] && [ -d /nix ] && command -v unshare > /dev/null; then
        argv_runs=yes
else
        tier_skip "argv" "needs root, unshare and /nix to provide \${SYSTEM_PATH}/system"
fi
export cli bare tier_work argv_runs
export -f check_fixture

for set in "${sets[@]}"; do
        passed=$tier_passed failed=$tier_failed skipped=$tier_skipped
        if [ ! -f "$golden/$set/SOURCE" ]; then
                tier_skip "$set" "no golden set $golden/$set"
        elif ! find "$golden/$set" -name containers.json | grep -q .; then
                tier_skip "$set" "no containers.json in $golden/$set (make golden-export)"
        else
                find "$golden/$set" -name containers.json | sort | check_format "$set" > "$tier_work/out"
                tier_check "$set: every containers.json is in the format" $?
                for dir in $(find "$golden/$set" -name containers.json | sort); do
                        dir=${dir%/containers.json}
                        id=${dir##*/} fixture=fixtures/${dir##*/}.json
                        [[ $dir == "$golden/$set/invalid/"* ]] && id=invalid/$id fixture=fixtures/$id.json
                        tier_run timeout 60 bash -c 'check_fixture "$@"' bash "$set" "$fixture" "$dir"
                        tier_check "$set/$id" $?
                done
        fi
        echo "export ($set): $((tier_passed - passed)) passed, $((tier_failed - failed)) failed," \
                "$((tier_skipped - skipped)) skipped"
done
tier_summary
[ "$tier_failed" = 0 ]
