#!/usr/bin/env bash
# README's option table is `nixcontainer options`, the loader's own table.
#
#   check-docs.sh NIXCONTAINER BUILD_DIR      (from the top of the tree)
set -u
nixcontainer=$1 build=$2
. harness/lib/tier.sh
tier_begin docs
sed -n '/<!-- options:begin/,/<!-- options:end/p' README.md | sed '1d;$d' > "$build/options.readme"
"$nixcontainer" options > "$build/options.table"
if cmp -s "$build/options.readme" "$build/options.table"; then
        tier_check "README.md's option table matches the option table" 0
else
        echo "docs: README.md's option table is not 'nixcontainer options':"
        diff "$build/options.readme" "$build/options.table"
        tier_check "README.md's option table matches the option table" 1
fi
tier_summary
[ "$tier_failed" = 0 ]
