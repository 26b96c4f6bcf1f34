#!/usr/bin/env bash
# One part of a run that keeps its parts apart: a tier of `make check` or a
# part of `make memcheck`. Runs COMMAND with its output in DIR/NAME.out, its
# exit status in DIR/NAME.status and its wall time, in seconds, in
# DIR/NAME.time; exits with COMMAND's status.
#
#   run-part.sh [--tail N] DIR NAME COMMAND...
#
# Without --tail (make check's tiers), the output is shown whole when the
# part ends, under a line with its verdict and time, one part at a time
# (flock on DIR/.output), so that parts running side by side do not mix
# their lines. With --tail N (memcheck's parts, whose lines count only when
# they fail), nothing is shown on success and the last N lines on failure.
set -u
. "$(dirname "$0")/../harness/lib/tier.sh"
tier_help "$@"
tail=
if [ "${1-}" = --tail ]; then
        tail=$2
        shift 2
fi
dir=$1 name=$2
shift 2
started=${EPOCHREALTIME/./}
"$@" > "$dir/$name.out" 2>&1
status=$?
tenths=$(((${EPOCHREALTIME/./} - started) / 100000))
seconds="$((tenths / 10)).$((tenths % 10))"
echo "$status" > "$dir/$name.status"
echo "$seconds" > "$dir/$name.time"
if [ -n "$tail" ]; then
        if [ "$status" != 0 ]; then
                echo "$name: FAILED (exit status $status) after $seconds s; its last $tail lines:"
                tail -n "$tail" "$dir/$name.out"
        fi
        exit "$status"
fi
if [ "$status" = 0 ]; then
        verdict="passed"
else
        verdict="FAILED (exit status $status)"
fi
{
        flock 9
        echo "==== $name: $verdict after $seconds s"
        cat "$dir/$name.out"
} 9> "$dir/.output"
exit "$status"
