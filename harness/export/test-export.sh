#!/usr/bin/env bash
# make export-test: a host's containers exported by ref/nix/export-containers.nix
# and fed to the CLI and the library give what the module gave.
#
#   test-export.sh [--cli "CMD"] [--conformance BIN] [--golden DIR] [--release SET]... [SET]...
#
# The sets are golden/<SET>/ (--release SET and a bare SET say the same;
# default: every set). CMD: the CLI, word by word (default
# build/nixcontainer), its first word a path. Each fixture the module
# accepts has golden/<SET>/<fixture>/containers.json (make golden-export):
# the stub host of harness/golden/eval.nix for that fixture, exported. For
# each set, the conformance suite (BIN, default build/test-conformance) runs
# with --exported over fixtures/ and fixtures/invalid/: each containers.json
# given to the CLI as --config (it reads the file's release and stateVersion
# itself) and loaded by the library, every output compared with the set's
# goldens (env files, hosts, argv as the unit runs it, nspawn's environment,
# unit properties; a refusal where the original's start script failed).
#
# Before them, the expression itself: `nix-instantiate --parse`, its output
# for a stand-in config (stand-in-config.nix, .json; both need nix, skipped
# without), and per set the format of every containers.json: the format tag,
# the set's release and stateVersion, no `config`, `pkgs` or `_module`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tier.sh"
tier_help "$@"
tier_begin export
cd "$here/../.." || exit 2

usage() {
        echo "usage: test-export.sh [--cli \"CMD\"] [--conformance BIN] [--golden DIR] [--release SET]... [SET]..." >&2
        exit 2
}
cli=build/nixcontainer suite=build/test-conformance golden=golden sets=()
while [ $# -gt 0 ]; do
        case $1 in
        --cli) [ $# -ge 2 ] || usage; cli=$2; shift 2 ;;
        --golden) [ $# -ge 2 ] || usage; golden=$2; shift 2 ;;
        --conformance) [ $# -ge 2 ] || usage; suite=$2; shift 2 ;;
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
[ -x "$suite" ] || { echo "test-export.sh: no conformance suite at $suite (make)" >&2; exit 2; }
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

# The format of every containers.json below golden/SET, in one jq run: the
# host's stateVersion is RELEASE@V's V, else the fixture's hostStateVersion,
# else 21.05. Prints each file that is not in the format.
check_format() {
        local set=$1
        find "$golden/$set" -name containers.json | sort | xargs jq -n -r --arg set "$set" \
                --slurpfile own <(jq -n '[inputs | {(input_filename | ltrimstr("fixtures/") | rtrimstr(".json")):
                                                    (.hostStateVersion // "21.05")}] | add' \
                                   fixtures/*.json fixtures/invalid/*.json) '
                ($set | split("@")) as [$release, $at]
                | inputs
                | (input_filename | split("/")) as $path
                | (if $path[-3] == "invalid" then "invalid/" else "" end + $path[-2]) as $id
                | ($at // $own[0][$id] // "21.05") as $sv
                | select((.format == "nixcontainer-containers/1" and .release == $release
                          and .stateVersion == $sv and (.containers | type) == "object"
                          and ([.containers[] | keys[] | select(. == "config" or . == "pkgs")] == [])
                          and ([paths | select(.[-1] == "_module")] == [])) | not)
                | "\(input_filename): not the format (release \($release), stateVersion \($sv)): \(del(.containers))"' |
                grep . && return 1
        return 0
}

# ---- each fixture through the CLI and the library ---------------------------
# The conformance suite with --exported: each fixture's containers.json in
# place of the harness's own config, its env files, hosts, argv, nspawn's
# environment and unit properties against the set's goldens, from the CLI
# under test and from the library in-process.
conformance() {
        local set=$1 corpus=$2 golden_dir=$golden/$1
        [ "$corpus" = fixtures/invalid ] && golden_dir=$golden/$1/invalid
        tier_run "$suite" --cli "$cli" --exported --release "$set" --golden "$golden_dir" --fixtures "$corpus"
        tier_check "$set: $corpus, exported, through the CLI and the library ($(tail -n 1 "$tier_work/out"))" $?
}

for set in "${sets[@]}"; do
        passed=$tier_passed failed=$tier_failed skipped=$tier_skipped
        if [ ! -f "$golden/$set/SOURCE" ]; then
                tier_skip "$set" "no golden set $golden/$set"
        elif ! find "$golden/$set" -name containers.json | grep -q .; then
                tier_skip "$set" "no containers.json in $golden/$set (make golden-export)"
        else
                check_format "$set" > "$tier_work/out"
                tier_check "$set: every containers.json is in the format" $?
                conformance "$set" fixtures
                conformance "$set" fixtures/invalid
        fi
        echo "export ($set): $((tier_passed - passed)) passed, $((tier_failed - failed)) failed," \
                "$((tier_skipped - skipped)) skipped"
done
tier_summary
[ "$tier_failed" = 0 ]
