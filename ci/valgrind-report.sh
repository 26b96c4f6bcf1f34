#!/usr/bin/env bash
# Summarises the valgrind logs of `make memcheck` (one per process, --quiet,
# so a clean process leaves an empty log) and fails if any is not empty.
set -euo pipefail
dir=$1
total=0 dirty=0
for log in "$dir"/*.log; do
        [ -e "$log" ] || continue
        total=$((total + 1))
        if [ -s "$log" ]; then
                dirty=$((dirty + 1))
                echo "== $log"
                cat "$log"
        fi
done
if [ "$total" -eq 0 ]; then
        echo "memcheck: no valgrind logs in $dir" >&2
        exit 1
fi
echo "memcheck: $total processes under valgrind, $dirty with errors or leaks"
[ "$dirty" -eq 0 ]
