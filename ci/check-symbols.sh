#!/usr/bin/env bash
# The shared library exports exactly the functions nixcontainer.h declares.
#
#   check-symbols.sh LIBRARY.so BUILD_DIR      (from the top of the tree)
set -u
. harness/lib/tier.sh
tier_help "$@"
library=$1 build=$2
tier_begin symbols
nm -D --defined-only "$library" | awk '$2 ~ /[TDBRW]/ {sub(/@.*/, "", $3); print $3}' | sort > "$build/symbols.exported"
grep -oE '\bnc_[a-z0-9_]+\(' ref/nixcontainer.h | tr -d '(' | sort -u > "$build/symbols.declared"
if cmp -s "$build/symbols.exported" "$build/symbols.declared"; then
        tier_check "$(wc -l < "$build/symbols.exported") exported, all nc_* and declared in nixcontainer.h" 0
else
        echo "symbols: exported and declared differ (< exported, > declared):"
        diff "$build/symbols.exported" "$build/symbols.declared"
        tier_check "the exported functions are the declared ones" 1
fi
tier_summary
[ "$tier_failed" = 0 ]
