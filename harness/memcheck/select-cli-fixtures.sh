#!/usr/bin/env bash
# Chooses the fixtures `make memcheck` runs the CLI on under valgrind: few,
# and together reaching every line of the CLI's own code (ref/cli/) that the
# CLI reaches over the whole corpus. The library runs every fixture under
# valgrind in-process (test-conformance, test-netns --impl ref); what a CLI
# run adds is the CLI's own code, and a valgrind start costs about half a
# second, so running the CLI on every fixture (1,500 runs) was most of
# memcheck's time.
#
#   select-cli-fixtures.sh [--build DIR] [--cov DIR] > harness/memcheck/cli-fixtures
#   select-cli-fixtures.sh --check FILE [--build DIR] [--cov DIR]
#
# DIR: the build with the suite (default build); --cov: a build of the CLI
# with gcov counters (default build-cov, made here with
# `make BUILD=build-cov CFLAGS="-O0 -g --coverage" LDFLAGS=--coverage`).
# For each fixture of each set below, alone: the conformance suite's CLI
# checks (every command) and the namespace tier's CLI run, each with the
# counting CLI; the lines of ref/cli/ it executed (gcov). Then, per tier, a
# greedy cover: the fixture reaching most lines not yet reached, until the
# chosen reach all that the corpus reaches. Output: one line per chosen
# fixture, "TIER SET CORPUS ID" (TIER: conformance or netns), sorted; the
# last lines (comments, on stderr) say how many lines the corpus and the
# choice reach.
# With --check FILE (make memcheck, its part memcheck-cover): the whole
# corpus run once per tier and set with the counting CLI, then the fixtures
# FILE chooses; fails, naming the lines, if the choice no longer reaches
# every ref/cli/ line the corpus reaches (run this script again then).
# Needs root (argv's system file, namespaces) and gcov.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build cov=build-cov check=
. harness/lib/args.sh
args_parse "usage: select-cli-fixtures.sh [--check FILE] [--build DIR] [--cov DIR]" build cov check -- "$@"
conformance_sets=(21.05 22.11@22.11 25.11@25.11 26.05@26.05)
netns_sets=(21.05 26.05@26.05)

# (A make of its own, also when a make runs this: not that one's jobserver.)
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -j2 BUILD="$cov" CFLAGS="-O0 -g --coverage" \
        LDFLAGS=--coverage "$cov/nixcontainer" > /dev/null
[ -n "$check" ] || make --no-print-directory -j2 "$build/test-conformance" "$build/test-netns" > /dev/null
# The scratch folder is a tier's (harness/lib/tier.sh): removed on exit and
# on SIGINT, SIGTERM and SIGHUP, and, when a SIGKILL left it, by the next
# run (on stderr: standard output is the choice).
. harness/lib/tier.sh
tier_begin select >&2
tier_scratch
work=$tier_work
cli=$(realpath "$cov/nixcontainer")

# lines: the ref/cli/ lines the counting CLI executed since the counters
# were last removed, "FILE:LINE", one per line.
lines() {
        ls "$cov"/obj/ref/cli/*.gcda > /dev/null 2>&1 || return 0
        gcov -t -o "$cov/obj/ref/cli" ref/cli/*.c 2> /dev/null |
                awk -F: '/^ *-: *0:Source:/ { src = $4 }
                         src ~ /^ref\/cli\// && $1 ~ /^ *[0-9]+\*? *$/ { gsub(/ /, "", $2); print src ":" $2 }' | sort -u
}

# measure TIER SET CORPUS ID COMMAND...: the lines one fixture's run reaches.
measure() {
        local tier=$1 set=$2 corpus=$3 id=$4
        shift 4
        find "$cov/obj" -name '*.gcda' -delete
        "$@" > /dev/null 2>&1 || true
        lines > "$work/$tier/$set~${corpus//\//_}~$id"
}

# conformance_run SET CORPUS [IDS]: the suite's CLI checks with the
# counting CLI (IDS: comma-separated; default every fixture).
conformance_run() {
        local golden=golden/$1
        [ "$2" = fixtures/invalid ] && golden=golden/$1/invalid
        "$build/test-conformance" --cli-only --cli "$cli" --release "$1" --golden "$golden" --fixtures "$2" \
                ${3:+--only "$3"} > /dev/null 2>&1 || true
}
# netns_run SET [IDS]: the namespace tier with the counting CLI.
netns_run() {
        "$build/test-netns" --impl "exec:$cli" --release "$1" --fixtures fixtures ${2:+--only "$2"} > /dev/null 2>&1 || true
}

if [ -n "$check" ]; then
        find "$cov/obj" -name '*.gcda' -delete
        for set in "${conformance_sets[@]}"; do
                conformance_run "$set" fixtures
                conformance_run "$set" fixtures/invalid
        done
        for set in "${netns_sets[@]}"; do netns_run "$set"; done
        lines > "$work/corpus"
        find "$cov/obj" -name '*.gcda' -delete
        # "TIER SET CORPUS ID" lines, run one group at a time.
        while read -r tier set corpus ids; do
                case $tier in
                conformance) conformance_run "$set" "$corpus" "$ids" ;;
                netns) netns_run "$set" "$ids" ;;
                esac
        done < <(bash harness/memcheck/cli-groups.sh "$check")
        lines > "$work/chosen"
        missing=$(comm -23 "$work/corpus" "$work/chosen")
        if [ -n "$missing" ]; then
                echo "$check: the CLI's lines the corpus reaches and these fixtures do not (run $0 again):"
                echo "$missing" | sed 's/^/    /'
                exit 1
        fi
        echo "$check: its fixtures reach all $(wc -l < "$work/corpus") lines of ref/cli/ the corpus reaches"
        exit 0
fi

mkdir "$work/conformance" "$work/netns"
for set in "${conformance_sets[@]}"; do
        for corpus in fixtures fixtures/invalid; do
                for fixture in "$corpus"/*.json; do
                        id=$(basename "$fixture" .json)
                        measure conformance "$set" "$corpus" "$id" conformance_run "$set" "$corpus" "$id"
                done
        done
done
for set in "${netns_sets[@]}"; do
        for fixture in fixtures/*.json; do
                id=$(basename "$fixture" .json)
                [ -n "$(ls golden/"$set"/"$id"/*.net 2> /dev/null)" ] || continue
                measure netns "$set" fixtures "$id" netns_run "$set" "$id"
        done
done

# The greedy cover of one tier's measurements.
echo "# The fixtures make memcheck runs the CLI on under valgrind, \"TIER SET CORPUS ID\"."
echo "# Made by harness/memcheck/select-cli-fixtures.sh (do not edit; run it again when make"
echo "# memcheck says the choice no longer reaches every line of ref/cli/ the corpus reaches)."
for tier in conformance netns; do
        awk -v tier="$tier" -v summary="$work/summary.$tier" '
                { n = split(FILENAME, p, "/"); item = p[n]; if (!(item in size)) order[++items] = item
                  size[item]++; has[item, $0] = 1; if (!($0 in all)) { all[$0] = 1; total++ } }
                END {
                        left = total
                        while (left > 0) {
                                best = ""; gain = 0
                                for (i = 1; i <= items; i++) {
                                        item = order[i]; g = 0
                                        for (line in all) if (all[line] && has[item, line]) g++
                                        if (g > gain) { gain = g; best = item }
                                }
                                if (best == "") break
                                for (line in all) if (all[line] && has[best, line]) { all[line] = 0; left-- }
                                split(best, f, "~"); gsub(/_/, "/", f[2])
                                print tier, f[1], f[2], f[3]; chosen++
                        }
                        printf "# %s: %d fixture runs chosen of %d; they reach all %d lines of ref/cli/ the corpus reaches\n",
                               tier, chosen, items, total > summary
                }' "$work/$tier"/* | sort
done
cat "$work/summary".*
