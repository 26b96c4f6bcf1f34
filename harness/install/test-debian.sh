#!/usr/bin/env bash
# The Debian packages, built and used as a user would: `dpkg-buildpackage
# -us -uc -b` on a copy of the tree, lintian (each override says why), the
# packages installed with dpkg into a throwaway root, an outside program
# built against the installed -dev with pkg-config and run under valgrind,
# and the installed conformance suite run against the installed CLI (the
# namespace tier too, as root). Needs dpkg-dev, debhelper and lintian
# (ci/install-deps.sh).
#
#   test-debian.sh BUILD_DIR      (from the top of the tree)
set -u
. harness/lib/tier.sh
tier_help "$@"
build=$1
tier_begin deb
tier_scratch
for tool in dpkg-buildpackage dh lintian; do
        if ! command -v "$tool" > /dev/null; then
                tier_skip "the Debian packages" "no $tool (bash ci/install-deps.sh)"
                tier_summary
                exit 0
        fi
done
src=$tier_work/src root=$tier_work/root
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

# The tree as git has it (tracked and new files, no build output).
mkdir -p "$src"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -C "$src" -xf -
(cd "$src" && dpkg-buildpackage -us -uc -b) > "$build/deb-build.log" 2>&1
tier_check "dpkg-buildpackage -us -uc -b (log: $build/deb-build.log)" $? || tail -n 40 "$build/deb-build.log"
changes=$(ls "$tier_work"/*.changes 2> /dev/null)
debs=()
for package in nixcontainer libnixcontainer1 libnixcontainer-dev nixcontainer-conformance; do
        debs+=("$(ls "$tier_work/${package}"_*.deb 2> /dev/null)")
done
[ -n "$changes" ] && [ "$(printf '%s\n' "${debs[@]}" | grep -c .)" = 4 ]
tier_check "four packages: nixcontainer, libnixcontainer1, libnixcontainer-dev, nixcontainer-conformance" $? ||
        { tier_summary; exit 1; }

# The log holds the info and pedantic tags too (README lists them).
lintian --fail-on error,warning --info --pedantic "$changes" > "$build/deb-lintian.log" 2>&1
tier_check "lintian: no error or warning but those debian/*.lintian-overrides explain" $? ||
        grep -E '^[EW]:' "$build/deb-lintian.log" | head -n 20
# blhc: every compile and link command of the build log (debian/rules
# builds with V=1) carries dpkg-buildflags' flags, hardening included.
if command -v blhc > /dev/null; then
        blhc --all "$build/deb-build.log" > "$build/deb-blhc.log" 2>&1
        tier_check "blhc: the build log's commands carry dpkg-buildflags' flags" $? || head -n 20 "$build/deb-blhc.log"
else
        tier_skip "blhc: the build log's commands carry dpkg-buildflags' flags" "no blhc"
fi

# A dpkg database of its own: the packages' dependencies (libc, libnl,
# ...) are the host's, so they are not checked in the throwaway root.
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" && touch "$root/var/lib/dpkg/status"
dpkg --root="$root" --force-depends --force-script-chrootless -i "${debs[@]}" > "$tier_work/dpkg.log" 2>&1
tier_check "dpkg --root installs the four" $? || cat "$tier_work/dpkg.log"

fixture=$root/usr/share/nixcontainer/golden/21.05/minimal-path-only
mkdir -p "$tier_work/system" && echo x86_64-linux > "$tier_work/system/system"
echo "SYSTEM_PATH=$tier_work/system" > "$tier_work/bare.conf"
"$root/usr/bin/nixcontainer" argv --env-file "$tier_work/bare.conf" --config "$fixture/containers.json" bare \
        > "$tier_work/argv" 2>&1
[ "$(tail -n 2 "$tier_work/argv" | head -n 1)" = "$root/usr/libexec/nixcontainer-init" ]
tier_check "the installed CLI's argv names the installed init" $? || cat "$tier_work/argv"

export PKG_CONFIG_PATH=$root/usr/lib/$multiarch/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
# shellcheck disable=SC2046 # pkg-config's words are meant to split
cc -std=gnu11 -Wall -Wextra -Werror -o "$tier_work/outside" harness/install/outside.c \
        $(pkg-config --cflags --libs libnixcontainer) > "$tier_work/cc.log" 2>&1 &&
        LD_LIBRARY_PATH=$root/usr/lib/$multiarch valgrind --quiet --leak-check=full \
                --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
                "$tier_work/outside" "$fixture/containers.json" bare > "$tier_work/outside.out" 2>&1 &&
        sed -n '2,/^argv /p' "$tier_work/outside.out" | sed '$d' | cmp -s - "$fixture/bare.conf"
tier_check "an outside program built against libnixcontainer-dev with pkg-config runs clean under valgrind" $? ||
        cat "$tier_work/cc.log" "$tier_work/outside.out"

suite=$root/usr/libexec/nixcontainer data=$root/usr/share/nixcontainer
"$suite/test-conformance" --cli "$root/usr/bin/nixcontainer" --exact-messages --golden "$data/golden/21.05" \
        --fixtures "$data/fixtures" > "$tier_work/conformance.out" 2>&1 &&
        "$suite/test-conformance" --cli "$root/usr/bin/nixcontainer" --exact-messages \
                --golden "$data/golden/21.05/invalid" --fixtures "$data/fixtures/invalid" >> "$tier_work/conformance.out" 2>&1
tier_check "the installed test-conformance passes the installed CLI" $? || tail -n 30 "$tier_work/conformance.out"
if [ "$(id -u)" = 0 ]; then
        "$suite/test-netns" --impl "exec:$root/usr/bin/nixcontainer" --fixtures "$data/fixtures" \
                --golden "$data/golden/21.05" > "$tier_work/netns.out" 2>&1
        tier_check "the installed test-netns passes the installed CLI" $? || tail -n 30 "$tier_work/netns.out"
else
        tier_skip "the installed test-netns" "not root"
fi

dpkg --root="$root" --force-depends --force-script-chrootless --purge \
        nixcontainer-conformance libnixcontainer-dev libnixcontainer1 nixcontainer > "$tier_work/dpkg.log" 2>&1 &&
        [ -z "$(find "$root" ! -type d ! -path "$root/var/lib/dpkg/*")" ]
tier_check "dpkg --purge leaves no file" $? || cat "$tier_work/dpkg.log"

tier_summary
[ "$tier_failed" = 0 ]
