#!/usr/bin/env bash
# Regenerates the seed corpora in fixtures/fuzz/<target>/ from the fixtures
# and goldens (needs jq). The generated seeds are named fixture-* and
# golden-*, release-* and case-*; the hand-written ones (tricky-*) are left alone.
#
#   fuzz-config, fuzz-render-parse   the "containers" value of every fixture (fixtures/*.json
#                                    and fixtures/invalid/*.json, seeds invalid-*), compact
#   fuzz-env-file                    every distinct golden/21.05/*/*.conf and golden/21.05/invalid/*/*.conf
#   release-*                        fuzz-config, fuzz-argv: the later releases' fixtures with the
#                                    release byte first (and 26.05's and 25.11's env files)
#   fuzz-argv, fuzz-net-plan         containers NUL env file: every fixture with the
#                                    golden conf of its first container (or of its
#                                    imperative container), and a few configs alone
#   fuzz-ip-address                  every address of the fixtures, as a prefix (IPv6
#                                    ones as `ip -6` reads them), and spellings iproute2
#                                    reads its own way
#   fuzz-init-config                 the containers of a few fixtures, chosen by name,
#                                    alone, by host name, missing
#   fuzz-cli-args, fuzz-guest-system a few hand-written inputs each
#
# Run from the top of the repository: bash harness/fuzz/make-seeds.sh [OUT]
# (OUT: fixtures/fuzz, where `make fuzz` reads them; harness/fuzz/run.sh
# makes a scratch set when a target has no folder there yet).
set -euo pipefail
. "$(dirname "$0")/../lib/tier.sh"
tier_help "$@"

out=${1:-fixtures/fuzz}
targets=(fuzz-config fuzz-render-parse fuzz-env-file fuzz-argv fuzz-net-plan fuzz-ip-address fuzz-init-config
         fuzz-cli-args fuzz-guest-system)
for target in "${targets[@]}"; do
        mkdir -p "$out/$target"
        rm -f "$out/$target"/fixture-* "$out/$target"/golden-* "$out/$target"/release-* "$out/$target"/case-*
done

declare -A seen=()
for fixture in fixtures/*.json fixtures/invalid/*.json; do
        [ -e "$fixture" ] || continue
        dir=$(dirname "$fixture")
        golden=golden/21.05${dir#fixtures}
        id=$(basename "$fixture" .json)
        case "$dir" in fixtures/invalid) seed=invalid-$id ;; *) seed=$id ;; esac
        containers=$(jq -c '.containers' "$fixture")
        printf '%s' "$containers" > "$out/fuzz-config/fixture-$seed.json"
        printf '%s' "$containers" > "$out/fuzz-render-parse/fixture-$seed.json"

        # The golden env files, each distinct text once.
        for conf in "$golden/$id"/*.conf; do
                [ -e "$conf" ] || continue
                sum=$(sha256sum < "$conf" | cut -c1-16)
                [ -z "${seen[$sum]:-}" ] || continue
                seen[$sum]=1
                cp "$conf" "$out/fuzz-env-file/golden-$seed-$(basename "$conf")"
        done

        # The first container of the config, else the first imperative one.
        name=$(jq -r '(.containers | keys | .[0]) // (.imperative // {} | keys | .[0]) // empty' "$fixture")
        if [ -n "$name" ] && [ -e "$golden/$id/$name.conf" ]; then
                { printf '%s\0' "$containers"; cat "$golden/$id/$name.conf"; } > "$out/fuzz-argv/fixture-$seed.bin"
        else
                printf '%s' "$containers" > "$out/fuzz-argv/fixture-$seed.bin"
        fi
        cp "$out/fuzz-argv/fixture-$seed.bin" "$out/fuzz-net-plan/fixture-$seed.bin"
done

# Addresses: the first byte picks nc_ip_parse_prefix() (bit 0) and the family
# asked for (bits 1-2: 0 any, 1 inet, 2 inet6).
jq -r '.. | objects | (.hostAddress?, .localAddress?, .hostAddress6?, .localAddress6?) | strings' \
        fixtures/*.json fixtures/invalid/*.json 2> /dev/null | sort -u | while IFS= read -r address; do
        sum=$(printf '%s' "$address" | sha256sum | cut -c1-12)
        case "$address" in *:*) select='\x05' ;; *) select='\x01' ;; esac
        { printf "$select"; printf '%s' "$address"; } > "$out/fuzz-ip-address/fixture-$sum.bin"
done
n=0
for address in default 10.0.0.1/255.255.255.0 +10.0.0.1 010.0.0.1 0x0a.0.0.1 10.1 10.0.0.1/32 fc00::1/64 \
               ::ffff:1.2.3.4 fe80::1%eth0 10.0.0.256 1.2.3.4/33 ::/0 '' ' 10.0.0.1'; do
        n=$((n + 1))
        for select in '\x00' '\x01' '\x03' '\x05'; do
                { printf "$select"; printf '%s' "$address"; } > "$out/fuzz-ip-address/case-$n-${select#\\x}.bin"
        done
done

# nixcontainer-init: FLAGS NAME NUL HOSTNAME NUL CONFIG (FLAGS: 1 explicit,
# 2 NAME given, 4 HOSTNAME given, 8 the file missing).
for fixture in fixtures/kitchen-sink.json fixtures/nixos-test-containers-extra_veth.json fixtures/extra-veths-several-ordering.json \
               fixtures/minimal-path-only.json; do
        [ -e "$fixture" ] || continue
        id=$(basename "$fixture" .json)
        containers=$(jq -c '.containers' "$fixture")
        name=$(jq -r '.containers | keys | .[0] // empty' "$fixture")
        { printf '\x03%s\0\0' "$name"; printf '%s' "$containers"; } > "$out/fuzz-init-config/fixture-$id-name.bin"
        { printf '\x05\0%s\0' "$name"; printf '%s' "$containers"; } > "$out/fuzz-init-config/fixture-$id-hostname.bin"
        { printf '\x01\0\0'; printf '%s' "$containers"; } > "$out/fuzz-init-config/fixture-$id-alone.bin"
done
printf '\x09\0\0' > "$out/fuzz-init-config/case-missing-explicit.bin"
printf '\x08\0\0' > "$out/fuzz-init-config/case-missing-default.bin"

# The CLI: ACCEPTED (cli_accepts, a bit a field: 1 compat, 2 config, 4 -0, 8 env-file, 16
# init, 32 nspawn, 64 NAME, 128 --json) then the arguments, each ending in a NUL.
cli_seed() { # NAME ACCEPTED ARG...
        local name=$1 accepted=$2
        shift 2
        { printf "$accepted"; printf '%s\0' "$@"; } > "$out/fuzz-cli-args/case-$name.bin"
}
cli_seed argv '\x7f' --compat -0 --env-file=/dev/null --init /i --nspawn /n --config c.json web
cli_seed network '\x4b' --config c.json --env-file e web --compat
cli_seed missing-argument '\x4b' web --config
cli_seed dash-name '\x42' --config c.json -- -web
cli_seed help '\x42' --help
cli_seed options '\x00' --release 25.11 --state-version=24.05
cli_seed abbreviated '\x43' --conf=c.json --comp web
cli_seed not-accepted '\x00' --compat

# The guest's system file: MODE (1 a SYSTEM_PATH that splits, 2 no file) CONTENT.
printf '\x00x86_64-linux\n' > "$out/fuzz-guest-system/case-x86_64.bin"
printf '\x00i686-linux\n\n\n' > "$out/fuzz-guest-system/case-i686-newlines.bin"
printf '\x00i686\0-linux\0\n' > "$out/fuzz-guest-system/case-i686-nul.bin"
printf '\x00\ni686-linux' > "$out/fuzz-guest-system/case-leading-newline.bin"
printf '\x01i686-linux' > "$out/fuzz-guest-system/case-split-path.bin"
printf '\x02' > "$out/fuzz-guest-system/case-missing.bin"
{ printf '\x00i686-linux'; head -c 5000 /dev/zero | tr '\0' '\n'; } > "$out/fuzz-guest-system/case-i686-long-tail.bin"

# A few configs alone: each container then gets its own rendered env file.
for fixture in fixtures/kitchen-sink.json fixtures/minimal-path-only.json fixtures/extra-veths-several-ordering.json \
               fixtures/bind-mounts-ordering.json fixtures/invalid/compat-tmpfs-whitespace-injection.json; do
        [ -e "$fixture" ] || continue
        jq -c '.containers' "$fixture" | tr -d '\n' > "$out/fuzz-argv/fixture-$(basename "$fixture" .json)-alone.json"
done

# The later releases: fuzz-config and fuzz-argv take a first byte 0x01-0x08
# as the release (fuzz_take_release(): 0x03 is 25.11, 0x04 26.05); every
# fixture whose goldens differ in what 26.05 renders, with 26.05's env file.
for fixture in fixtures/private-users-*.json fixtures/network-namespace*.json fixtures/flake*.json \
               fixtures/copy-resolv-conf-*.json fixtures/local-mac-address*.json fixtures/restart-if-changed-false.json \
               fixtures/special-args.json fixtures/forward-ports-port-65535.json fixtures/kitchen-sink.json; do
        [ -e "$fixture" ] || continue
        id=$(basename "$fixture" .json)
        containers=$(jq -c '.containers' "$fixture")
        for release in 25.11:'\x03' 26.05:'\x04'; do
                { printf "${release#*:}"; printf '%s' "$containers"; } > "$out/fuzz-config/release-${release%%:*}-$id.bin"
                name=$(jq -r '.containers | keys | .[0] // empty' "$fixture")
                conf=golden/${release%%:*}/$id/$name.conf
                if [ -n "$name" ] && [ -e "$conf" ]; then
                        { printf "${release#*:}"; printf '%s\0' "$containers"; cat "$conf"; } \
                                > "$out/fuzz-argv/release-${release%%:*}-$id.bin"
                        cp "$conf" "$out/fuzz-env-file/release-${release%%:*}-$id.conf"
                fi
        done
done

for target in "${targets[@]}"; do
        echo "$out/$target: $(ls "$out/$target" | wc -l) seeds, $(du -sk "$out/$target" | cut -f1) KiB"
done
