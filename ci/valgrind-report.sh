#!/usr/bin/env bash
# The closing line of `make memcheck`: its parts leave one valgrind log per
# process (--quiet, so a clean process leaves an empty one); each process
# counts as passed when its log is empty, failed when not (the log is
# shown), and a part that failed (its output is above) as one more failure.
#
#   valgrind-report.sh DIR PARTS_STATUS      (DIR/started: when memcheck
#                                             started, microseconds since the epoch)
set -u
. "$(dirname "$0")/../harness/lib/tier.sh"
tier_help "$@"
dir=$1 parts=$2
tier_begin memcheck "$(cat "$dir/started" 2> /dev/null)"
for log in "$dir"/*.log; do
        [ -e "$log" ] || continue
        if [ -s "$log" ]; then
                tier_failed=$((tier_failed + 1))
                echo "== $log"
                cat "$log"
        else
                tier_passed=$((tier_passed + 1))
        fi
done
# Each part's wall time (ci/run-part.sh), longest first.
for time in "$dir"/*.time; do
        [ -e "$time" ] && printf '%s %s\n' "$(cat "$time")" "$(basename "$time" .time)"
done | sort -rn | awk 'BEGIN { printf "memcheck: parts:" } { printf " %s %s s", $2, $1 } END { print "" }'
tier_note="; processes under valgrind: $tier_passed clean, $tier_failed with errors or leaks"
if [ $((tier_passed + tier_failed)) = 0 ]; then
        tier_failed=1 tier_note="; no valgrind logs in $dir"
elif [ "$parts" != 0 ]; then
        tier_failed=$((tier_failed + 1)) tier_note="$tier_note, and a part failed (above)"
fi
tier_summary
[ "$tier_failed" = 0 ]
