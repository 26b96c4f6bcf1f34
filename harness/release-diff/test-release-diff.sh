#!/usr/bin/env bash
# The release-diff checks of the `releases` tier: golden/RELEASES.md is what
# `make release-diff` makes of the committed goldens (a golden regenerated
# without it, or a change to the tool, shows here), and a set compared with
# itself differs in nothing.
#
#   test-release-diff.sh RELEASE_DIFF "FIXTURE ARGS" "PAIR ARGS" SET
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tier.sh"
tier_help "$@"
tool=$1 fixtures=$2 pairs=$3 set=$4
tier_begin release-diff
tier_scratch
# shellcheck disable=SC2086 # the argument lists, word by word
tier_run "$tool" --golden golden $fixtures $pairs --out "$tier_work/RELEASES.md"
status=$?
[ "$status" = 0 ] && cmp -s "$tier_work/RELEASES.md" golden/RELEASES.md || status=1
[ "$status" = 0 ] || diff "$tier_work/RELEASES.md" golden/RELEASES.md | head -n 20
tier_check "golden/RELEASES.md is make release-diff's output for the committed goldens" "$status"
# shellcheck disable=SC2086
tier_run "$tool" --golden golden $fixtures --pair "$set:$set"
grep -q '^0 fixtures behave differently, 0 differ in script text only' "$tier_work/out"
tier_check "$set compared with itself: no difference" $?
tier_summary
