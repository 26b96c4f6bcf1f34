#!/usr/bin/env bash
# Regenerates the seed corpora in fixtures/fuzz/<target>/ from the fixtures
# and goldens (needs jq). The generated seeds are named fixture-* and
# golden-*; the hand-written ones (tricky-*) are left alone.
#
#   fuzz-config, fuzz-render-parse   the "containers" value of every fixture (fixtures/*.json
#                                    and fixtures/invalid/*.json, seeds invalid-*), compact
#   fuzz-env-file                    every distinct golden/21.05/*/*.conf and golden/21.05/invalid/*/*.conf
#   release-*                        fuzz-config, fuzz-argv: the later releases' fixtures with the
#                                    release byte first (and 26.05's and 25.11's env files)
#   fuzz-argv                        containers NUL env file: every fixture with the
#                                    golden conf of its first container (or of its
#                                    imperative container), and a few configs alone
#
# Run from the top of the repository: bash harness/fuzz/make-seeds.sh
set -euo pipefail

out=fixtures/fuzz
for target in fuzz-config fuzz-render-parse fuzz-env-file fuzz-argv; do
        mkdir -p "$out/$target"
        rm -f "$out/$target"/fixture-* "$out/$target"/golden-* "$out/$target"/release-*
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
done

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

for target in fuzz-config fuzz-render-parse fuzz-env-file fuzz-argv; do
        echo "$out/$target: $(ls "$out/$target" | wc -l) seeds, $(du -sk "$out/$target" | cut -f1) KiB"
done
