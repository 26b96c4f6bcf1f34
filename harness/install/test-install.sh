#!/usr/bin/env bash
# `make install` as a distribution runs it, after a plain `make`: into a
# scratch DESTDIR with PREFIX=/usr. Checks that nothing is rebuilt, that
# every file is where the GNU directories say, that the installed CLI's
# argv names the installed nixcontainer-init, that the man pages are valid
# roff, that an outside program builds with `pkg-config --cflags --libs
# libnixcontainer` alone and runs clean under valgrind, and that
# `make uninstall` leaves nothing behind.
#
#   test-install.sh BUILD_DIR      (from the top of the tree)
set -u
. harness/lib/tier.sh
tier_help "$@"
build=$1
tier_begin install
tier_scratch
dest=$tier_work/dest
fixture=golden/21.05/minimal-path-only
make_install() {
        make --no-print-directory BUILD="$build" DESTDIR="$dest" PREFIX=/usr "$@" > "$tier_work/make.log" 2>&1
}

before=$(stat -c %.9Y "$build/nixcontainer")
make_install install
tier_check "make install DESTDIR=... PREFIX=/usr" $? || cat "$tier_work/make.log"
[ "$(stat -c %.9Y "$build/nixcontainer")" = "$before" ]
tier_check "the plain build is installed as it is (nothing rebuilt)" $?

missing=0
for file in usr/bin/nixcontainer usr/libexec/nixcontainer-init usr/lib/libnixcontainer.so.1 usr/lib/libnixcontainer.so \
            usr/lib/libnixcontainer.a usr/include/nixcontainer.h usr/lib/pkgconfig/libnixcontainer.pc \
            usr/share/man/man1/nixcontainer.1 usr/share/man/man8/nixcontainer-init.8 \
            usr/share/man/man3/libnixcontainer.3; do
        [ -e "$dest/$file" ] || { echo "install: /$file is missing"; missing=1; }
done
tier_check "every file in its directory under PREFIX=/usr" $missing

# argv's second-to-last word without --init: the init installed beside it.
mkdir -p "$tier_work/system" && echo x86_64-linux > "$tier_work/system/system"
echo "SYSTEM_PATH=$tier_work/system" > "$tier_work/bare.conf"
"$dest/usr/bin/nixcontainer" argv --env-file "$tier_work/bare.conf" --config "$fixture/containers.json" bare \
        > "$tier_work/argv" 2>&1
init=$(tail -n 2 "$tier_work/argv" | head -n 1)
[ "$init" = "$dest/usr/libexec/nixcontainer-init" ]
tier_check "the installed CLI's argv names the installed init ($init)" $? || cat "$tier_work/argv"

if [ "${SANITIZE:-0}" = 1 ]; then
        tier_skip "in the build tree, argv names the init beside the CLI, valgrind-clean" \
                "SANITIZE=1: ASan and valgrind do not mix"
else
        # The same lookup under valgrind (the memcheck twin, libc shared), in the
        # build tree: no LIBEXECDIR there, so the init beside it.
        valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
                "$build/nixcontainer-memcheck" argv --env-file "$tier_work/bare.conf" --config "$fixture/containers.json" bare \
                > "$tier_work/argv" 2>&1 &&
                [ "$(tail -n 2 "$tier_work/argv" | head -n 1)" = "$(realpath "$build")/nixcontainer-init" ]
        tier_check "in the build tree, argv names the init beside the CLI, valgrind-clean" $? || cat "$tier_work/argv"
fi

version=$(sed -n 's/^#define NC_VERSION "\(.*\)"$/\1/p' ref/nixcontainer.h)
export PKG_CONFIG_PATH=$dest/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
[ "$(pkg-config --modversion libnixcontainer)" = "$version" ] &&
        [ "$(PKG_CONFIG_SYSROOT_DIR='' pkg-config --variable=libdir libnixcontainer)" = /usr/lib ] &&
        "$dest/usr/bin/nixcontainer" --version | grep -q "^nixcontainer $version "
tier_check "pkg-config says NC_VERSION ($version) and libdir /usr/lib, as --version does" $?

# shellcheck disable=SC2046 # pkg-config's words are meant to split
cc -std=gnu11 -Wall -Wextra -Werror -o "$tier_work/outside" harness/install/outside.c \
        $(pkg-config --cflags --libs libnixcontainer) > "$tier_work/cc.log" 2>&1
tier_check "an outside program builds with pkg-config --cflags --libs libnixcontainer" $? || cat "$tier_work/cc.log"
if [ "${SANITIZE:-0}" = 1 ]; then
        tier_skip "it runs with the installed .so under valgrind, clean, and renders the golden" \
                "SANITIZE=1: an ASan library needs an ASan program, and ASan and valgrind do not mix"
else
        LD_LIBRARY_PATH=$dest/usr/lib valgrind --quiet --leak-check=full \
                --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
                "$tier_work/outside" "$fixture/containers.json" bare > "$tier_work/outside.out" 2> "$tier_work/outside.err"
        status=$?
        sed -n '2,/^argv /p' "$tier_work/outside.out" | sed '$d' | cmp -s - "$fixture/bare.conf" &&
                [ "$(grep '^argv ' "$tier_work/outside.out" | tail -n 2 | head -n 1)" = "argv nixcontainer-init" ] &&
                LD_LIBRARY_PATH=$dest/usr/lib ldd "$tier_work/outside" | grep -q "=> $dest/usr/lib/libnixcontainer.so.1"
        tier_check "it runs with the installed .so under valgrind, clean, and renders the golden" $((status || $?)) ||
                cat "$tier_work/outside.err"
fi

lint=0
for page in "$dest"/usr/share/man/man*/*; do
        if command -v mandoc > /dev/null; then
                mandoc -T lint -W warning "$page" || lint=1
        fi
        [ -z "$(groff -man -z -ww "$page" 2>&1)" ] || { groff -man -z -ww "$page"; lint=1; }
        MANWIDTH=80 man -l "$page" 2> /dev/null | grep -q '^NAME' || { echo "install: man -l $page"; lint=1; }
done
tier_check "the man pages: groff -man -z -ww$(command -v mandoc > /dev/null && echo ', mandoc -T lint') and man -l" $lint

make_install uninstall
left=$(find "$dest" ! -type d)
[ -z "$left" ]
tier_check "make uninstall leaves no file" $? || echo "$left"

tier_summary
[ "$tier_failed" = 0 ]
