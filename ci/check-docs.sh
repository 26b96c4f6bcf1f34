#!/usr/bin/env bash
# README's option table is `nixcontainer options`, the loader's own table,
# and its release table is `nixcontainer releases`.
#
#   check-docs.sh NIXCONTAINER BUILD_DIR      (from the top of the tree)
set -u
. harness/lib/tier.sh
tier_help "$@"
nixcontainer=$1 build=$2
tier_begin docs
for table in options releases; do
        sed -n "/<!-- $table:begin/,/<!-- $table:end/p" README.md | sed '1d;$d' > "$build/$table.readme"
        "$nixcontainer" "$table" > "$build/$table.table"
        if cmp -s "$build/$table.readme" "$build/$table.table"; then
                tier_check "README.md's $table table is 'nixcontainer $table'" 0
        else
                echo "docs: README.md's $table table is not 'nixcontainer $table':"
                diff "$build/$table.readme" "$build/$table.table"
                tier_check "README.md's $table table is 'nixcontainer $table'" 1
        fi
done
tier_summary
[ "$tier_failed" = 0 ]
