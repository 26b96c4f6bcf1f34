#!/usr/bin/env bash
# The end of `make check`: every tier's closing lines, in the order of the
# tiers, and the whole run's time (the build included). A tier fails here too when its last line
# is not a closing line ("TIER: P passed, F failed, S skipped in T s", as
# harness/lib/tier.h prints it): a skip must say so.
#
#   check-summary.sh DIR MAKE_STATUS TIER...     (DIR/started: when `make
#                                                  check` started, in microseconds)
set -u
. "$(dirname "$0")/../harness/lib/tier.sh"
tier_help "$@"
dir=$1 status=$2
shift 2
closing='^[^:]+: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped in [0-9]+\.[0-9] s'
tenths=$(((${EPOCHREALTIME/./} - $(cat "$dir/started")) / 100000))
failed=0
echo
echo "==== make check: built, and ran $# tiers, in $((tenths / 10)).$((tenths % 10)) s (each tier's own time is in its line)"
for tier; do
        log=$dir/$tier.out
        tier_status=$(cat "$dir/$tier.status" 2> /dev/null || echo "not run")
        if [ "$tier_status" != 0 ]; then
                failed=$((failed + 1))
                printf '%-12s FAILED (exit status %s)\n' "$tier" "$tier_status"
        fi
        if [ -f "$log" ] && ! tail -n 1 "$log" | grep -Eq "$closing"; then
                failed=$((failed + 1))
                printf '%-12s FAILED: its last line is not a closing line: %s\n' "$tier" "$(tail -n 1 "$log")"
        fi
        grep -E "$closing" "$log" 2> /dev/null | sed "s/^/$(printf '%-12s' "$tier") /"
done
[ "$failed" = 0 ] && [ "$status" = 0 ]
