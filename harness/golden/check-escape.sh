#!/usr/bin/env bash
# The stub's escapeSystemdPath (escape-systemd-path.nix) against systemd
# itself (systemd-escape --path), on interface names and paths that need
# escaping and ones that do not. Run by golden.sh before any release.
# NixOS's function escapes only ASCII punctuation from a fixed list; bytes
# systemd escapes beyond it ("?", control and non-ASCII bytes) are left as
# they are, by NixOS as by the stub, and so are "/./" components (systemd
# drops them, lib.strings.normalizePath does not): the corpus holds none.
#
#   check-escape.sh NIXPKGS_LIB
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tier.sh"
tier_help "$@"
lib=$(realpath "$1")
names=(eth0 eth-lan lan.10 en@x "a b" wl+1 x_y 'br~0' a%b .dot ve-web a=b a:b A,b 'q"x' "it's" 'a\b'
       '$x' '(p)' '[s]' '{c}' 'a|b' '^h' '`t`' '#h' '&a' '*s' '<l>' '!e' /dev/sda /var/lib//)
json=$(jq -n -c '$ARGS.positional' --args "${names[@]}")
mapfile -t ours < <(nix-instantiate --eval --strict --json --argstr json "$json" --arg lib "import $lib" \
        -E '{ lib, json }: map (import '"$here"'/escape-systemd-path.nix lib) (builtins.fromJSON json)' | jq -r '.[]')
bad=0
for i in "${!names[@]}"; do
        theirs=$(systemd-escape --path -- "${names[i]}" 2>/dev/null)
        if [ "${ours[i]-}" != "$theirs" ]; then
                echo "check-escape.sh: ${names[i]}: the stub gives ${ours[i]}, systemd-escape --path $theirs" >&2
                bad=1
        fi
done
[ $bad = 0 ] && echo "check-escape.sh: ${#names[@]} names escaped as systemd-escape --path escapes them"
exit $bad
