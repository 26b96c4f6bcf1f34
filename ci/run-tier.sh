#!/usr/bin/env bash
# One tier of `make check`: its output kept in DIR/TIER.log and shown whole
# when it ends, so that tiers running side by side do not mix their lines;
# its exit status in DIR/TIER.status.
#
#   run-tier.sh DIR TIER COMMAND...
set -u
dir=$1 tier=$2
shift 2
started=${EPOCHREALTIME/./}
"$@" > "$dir/$tier.log" 2>&1
status=$?
echo "$status" > "$dir/$tier.status"
tenths=$(((${EPOCHREALTIME/./} - started) / 100000))
if [ "$status" = 0 ]; then
        verdict="passed"
else
        verdict="FAILED (exit status $status)"
fi
{
        flock 9
        echo "==== $tier: $verdict after $((tenths / 10)).$((tenths % 10)) s"
        cat "$dir/$tier.log"
} 9> "$dir/.output"
exit "$status"
