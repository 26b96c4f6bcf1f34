#!/usr/bin/env bash
# The fixtures of a cli-fixtures file ("TIER SET CORPUS ID" lines, as
# select-cli-fixtures.sh writes them) as one line per group of runs, "TIER
# SET CORPUS ID,ID,...", sorted: each group is one run of its tier (make
# memcheck's memcheck-cli, and select-cli-fixtures.sh --check).
#
#   cli-groups.sh FILE
set -euo pipefail
. "$(dirname "$0")/../lib/tier.sh"
tier_help "$@"
if [ $# != 1 ]; then
        echo "usage: cli-groups.sh FILE   (FILE: harness/memcheck/cli-fixtures)" >&2
        exit 2
fi
grep -v '^#' "$1" | awk '{ key = $1 " " $2 " " $3; ids[key] = ids[key] (n[key]++ ? "," : "") $4 }
                         END { for (k in ids) print k, ids[k] }' | sort
