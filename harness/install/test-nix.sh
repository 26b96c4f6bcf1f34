#!/usr/bin/env bash
# package.nix and flake.nix, as far as they can be checked without nixpkgs:
# both parse (nix-instantiate --parse); evaluated against a minimal stub of
# what they call (nix-stub.nix), the flake's package, default, check and
# overlay are package.nix with NC_VERSION, doCheck running the unit and
# conformance tiers; and the package's makeFlags, given to this Makefile,
# build, install into out/dev/man folders and pass its installCheck. Not
# checked here: a build in nix's sandbox against nixpkgs (README, "Nix").
#
#   test-nix.sh BUILD_DIR      (from the top of the tree)
set -u
. harness/lib/tier.sh
tier_help "$@"
build=$1
tier_begin nix
tier_scratch
if ! command -v nix-instantiate > /dev/null || ! command -v jq > /dev/null; then
        tier_skip "package.nix and flake.nix" "no nix-instantiate or jq (bash ci/install-deps.sh)"
        tier_summary
        exit 0
fi
nix_eval() {
        nix-instantiate --readonly-mode "$@" 2> "$tier_work/nix.err" || { grep -v nixbld "$tier_work/nix.err"; return 1; }
}

for file in package.nix flake.nix; do
        nix_eval --parse "$file" > /dev/null
        tier_check "$file parses" $?
done

version=$(sed -n 's/^#define NC_VERSION "\(.*\)"$/\1/p' ref/nixcontainer.h)
nix_eval --eval --strict --json harness/install/nix-stub.nix > "$tier_work/eval.json"
tier_check "flake.nix and package.nix evaluate against the stub" $?
for output in package default check overlay; do
        jq -e --arg v "$version" ".$output"' | .pname == "nixcontainer" and .version == $v and .doCheck
                and .checkTarget == "unit conformance" and (.makeFlags | index("WERROR=0") != null)
                and .strictDeps and .enableParallelBuilding
                and .license == "mit" and .mainProgram == "nixcontainer"' "$tier_work/eval.json" > /dev/null
        tier_check "the flake's $output: package.nix, version $version, doCheck: unit conformance" $? ||
                jq ".$output" "$tier_work/eval.json"
done

# The makeFlags as stdenv passes them (placeholders become folders here).
out=$tier_work/out dev=$tier_work/dev man=$tier_work/man
mapfile -t flags < <(jq -r '.package.makeFlags[]' "$tier_work/eval.json" |
        sed -e "s#^\(PREFIX=\)/[a-z0-9]*#\1$out#" -e "s#^\(INCLUDEDIR=\|PKGCONFIGDIR=\)/[a-z0-9]*#\1$dev#" \
            -e "s#^\(MANDIR=\)/[a-z0-9]*#\1$man#")
# The installCheckPhase itself, in a copy of the tree as the build has it
# (runHook: nothing to run here).
mkdir -p "$tier_work/src"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -C "$tier_work/src" -xf -
make --no-print-directory -j2 BUILD="$tier_work/build" "${flags[@]}" all install > "$tier_work/make.log" 2>&1 &&
        (cd "$tier_work/src" && out=$out bash -euo pipefail -c "runHook() { :; }
                $(jq -r .package.installCheckPhase "$tier_work/eval.json")") >> "$tier_work/make.log" 2>&1 &&
        [ -e "$dev/include/nixcontainer.h" ] && [ -e "$dev/lib/pkgconfig/libnixcontainer.pc" ] &&
        [ -e "$man/share/man/man1/nixcontainer.1" ] && ! ldd "$out/bin/nixcontainer" | grep -q 'not a dynamic'
tier_check "package.nix's makeFlags build and install with this Makefile, and its installCheck passes" $? ||
        tail -n 20 "$tier_work/make.log"

tier_summary
[ "$tier_failed" = 0 ]
