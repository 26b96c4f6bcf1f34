#!/usr/bin/env bash
# One part of `make memcheck`: runs COMMAND with its output in DIR/NAME.out
# and its wall time, in seconds, in DIR/NAME.time (ci/valgrind-report.sh
# lists them); on failure shows the end of the output and exits 1.
#
#   memcheck-part.sh DIR NAME COMMAND...
set -u
dir=$1 name=$2
shift 2
started=${EPOCHREALTIME/./}
"$@" > "$dir/$name.out" 2>&1
status=$?
tenths=$(((${EPOCHREALTIME/./} - started) / 100000))
echo "$((tenths / 10)).$((tenths % 10))" > "$dir/$name.time"
if [ "$status" != 0 ]; then
        echo "memcheck: $name failed (exit $status):"
        tail -n 60 "$dir/$name.out"
        exit 1
fi
