#!/usr/bin/env bash
# Runs the libFuzzer targets one after another (no -jobs/-workers), each for
# SECONDS over a scratch copy of its seed corpus, so that the committed
# corpus in fixtures/fuzz/<target>/ is never modified. Prints, per target,
# libFuzzer's "Done N runs in S second(s)" line; exits 1 if any target
# crashed, timed out or ran out of memory, after running all of them.
#
#   run.sh --build build/fuzz --seconds 60 --corpus fixtures/fuzz --dict harness/fuzz TARGET...
#
# Scratch layout, per target: BUILD/run/TARGET/corpus (the growing corpus),
# BUILD/run/TARGET/artifacts (crash-*, timeout-*, oom-* inputs), BUILD/run/TARGET/fuzz.log.
set -uo pipefail

build= seconds= corpus= dicts=
. "$(dirname "$0")/../lib/args.sh"
args_parse "usage: $0 --build DIR --seconds N --corpus DIR --dict DIR TARGET..." \
        build! seconds! corpus! dict=dicts! ... -- "$@"
set -- "${args_rest[@]}"
case "$seconds" in ''|*[!0-9]*) echo "$0: --seconds wants a number of seconds" >&2; exit 2 ;; esac

# The JSON parser recurses down to its depth limit (2,048 values: about
# 2.3 MB of stack in these ASan builds at -O1, measured), so a shell whose
# stack limit is below Linux's default 8 MB would turn a deep but valid
# input into a stack-overflow report (a corpus grown by a few minutes of
# fuzz-argv here held inputs that overflow 1 MB).
stack=$(ulimit -s)
if [ "$stack" != unlimited ] && [ "$stack" -lt 8192 ]; then
        ulimit -s 8192 2> /dev/null ||
                echo "fuzz: the stack limit is $stack KB and cannot be raised to 8192: deep inputs may overflow it"
fi

status=0
summary=()
for target in "$@"; do
        bin=$build/$target
        work=$build/run/$target
        [ -x "$bin" ] || { echo "$0: $bin: not built" >&2; exit 2; }
        seeds=$corpus/$target
        if [ ! -d "$seeds" ]; then
                # A target whose seeds are not committed yet: a scratch set
                # from make-seeds.sh (the fixtures and goldens, jq).
                seeds=$build/seeds/$target
                if [ ! -d "$seeds" ]; then
                        echo "fuzz: $target: no $corpus/$target; seeds from make-seeds.sh in $build/seeds"
                        rm -rf "$build/seeds"
                        bash "$(dirname "$0")/make-seeds.sh" "$build/seeds" > /dev/null ||
                                { echo "$0: make-seeds.sh failed" >&2; exit 2; }
                fi
        fi
        # The env-file target gets env-file tokens; the others read JSON.
        if [ "$target" = fuzz-env-file ]; then dict=$dicts/env-file.dict; else dict=$dicts/config.dict; fi

        rm -rf "$work/corpus" "$work/artifacts" "$work/fuzz.log" "$work/regressions.log"
        mkdir -p "$work/corpus" "$work/artifacts"

        regressions=()
        for input in "$corpus/regressions/$target"-*; do
                [ -f "$input" ] && regressions+=("$input")
        done
        for input in "${regressions[@]}"; do
                if ! "$bin" "$input" >>"$work/regressions.log" 2>&1; then
                        status=1
                        echo "fuzz: $target: reproducer $input still fails:"
                        grep -E '^fuzz(-[a-z-]+)?: |^SUMMARY: ' "$work/regressions.log" | tail -n 3 | sed 's/^/    /'
                        summary+=("$target: reproducer $input still fails")
                fi
        done
        [ ${#regressions[@]} -eq 0 ] || echo "fuzz: $target: replayed ${#regressions[@]} reproducer(s)"
        cp -R "$seeds/." "$work/corpus/"

        echo "fuzz: $target: ${seconds}s over $(ls "$work/corpus" | wc -l) seeds, log in $work/fuzz.log"
        "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
                -dict="$dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
                "$work/corpus" >"$work/fuzz.log" 2>&1
        rc=$?

        done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$work/fuzz.log" | tail -n 1)
        final=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/fuzz.log" | tail -n 1 | sed -E 's/.*DONE[[:space:]]+//')
        if [ "$rc" -ne 0 ]; then
                status=1
                echo "fuzz: $target: FAILED (exit $rc); the end of its log:"
                tail -n 60 "$work/fuzz.log" | sed 's/^/    /'
                for artifact in "$work/artifacts"/*; do
                        [ -e "$artifact" ] && echo "fuzz: $target: input kept in $artifact"
                done
                runs=$(grep -E '^stat::number_of_executed_units:' "$work/fuzz.log" | awk '{print $2}' | tail -n 1)
                summary+=("$target: FAILED (exit $rc) after ${runs:-?} runs")
                # The summary is what a CI log keeps when it keeps only its
                # end: the sanitizer's or libFuzzer's verdict, and the input
                # itself, so that the failure can be replayed from the log
                # (base64 -d > input; build/fuzz/TARGET input).
                verdict=$(grep -m 1 -E '^SUMMARY: |ERROR: libFuzzer: |^fuzz(-[a-z-]+)?: ' "$work/fuzz.log")
                [ -z "$verdict" ] || summary+=("  $verdict")
                for artifact in "$work/artifacts"/*; do
                        [ -f "$artifact" ] || continue
                        if [ "$(stat -c %s "$artifact")" -le 4096 ]; then
                                summary+=("  input $(basename "$artifact") (base64): $(base64 -w 0 "$artifact")")
                        else
                                summary+=("  input $(basename "$artifact"): $(stat -c %s "$artifact") bytes, too long for the log")
                        fi
                done
        else
                echo "fuzz: $target: $done_line"
                summary+=("$target: $done_line${final:+ ($final)}")
        fi
done

echo "fuzz: summary (${seconds}s per target)"
for line in "${summary[@]}"; do
        echo "    $line"
done
exit "$status"
