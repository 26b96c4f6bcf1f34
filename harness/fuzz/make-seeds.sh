#!/usr/bin/env bash
# Regenerates the seed corpora in fixtures/fuzz/<target>/ from the fixtures
# and goldens (needs jq). The generated seeds are named fixture-* and
# golden-*; the hand-written ones (tricky-*) are left alone.
#
#   fuzz-config, fuzz-render-parse   the "containers" value of every fixture, compact
#   fuzz-env-file                    every distinct golden/*/*.conf
#   fuzz-argv                        containers NUL env file: every fixture with the
#                                    golden conf of its first container (or of its
#                                    imperative container), and a few configs alone
#
# Run from the top of the repository: bash harness/fuzz/make-seeds.sh
set -euo pipefail

out=fixtures/fuzz
for target in fuzz-config fuzz-render-parse fuzz-env-file fuzz-argv; do
        mkdir -p "$out/$target"
        rm -f "$out/$target"/fixture-* "$out/$target"/golden-*
done

declare -A seen=()
for fixture in fixtures/*.json; do
        id=$(basename "$fixture" .json)
        containers=$(jq -c '.containers' "$fixture")
        printf '%s' "$containers" > "$out/fuzz-config/fixture-$id.json"
        printf '%s' "$containers" > "$out/fuzz-render-parse/fixture-$id.json"

        # The golden env files, each distinct text once.
        for conf in golden/"$id"/*.conf; do
                [ -e "$conf" ] || continue
                sum=$(sha256sum < "$conf" | cut -c1-16)
                [ -z "${seen[$sum]:-}" ] || continue
                seen[$sum]=1
                cp "$conf" "$out/fuzz-env-file/golden-$id-$(basename "$conf")"
        done

        # The first container of the config, else the first imperative one.
        name=$(jq -r '(.containers | keys | .[0]) // (.imperative // {} | keys | .[0]) // empty' "$fixture")
        if [ -n "$name" ] && [ -e "golden/$id/$name.conf" ]; then
                { printf '%s\0' "$containers"; cat "golden/$id/$name.conf"; } > "$out/fuzz-argv/fixture-$id.bin"
        else
                printf '%s' "$containers" > "$out/fuzz-argv/fixture-$id.bin"
        fi
done

# A few configs alone: each container then gets its own rendered env file.
for id in kitchen-sink minimal-path-only extra-veths-several-ordering compat-tmpfs-whitespace-injection \
          bind-mounts-ordering; do
        jq -c '.containers' "fixtures/$id.json" | tr -d '\n' > "$out/fuzz-argv/fixture-$id-alone.json"
done

for target in fuzz-config fuzz-render-parse fuzz-env-file fuzz-argv; do
        echo "$out/$target: $(ls "$out/$target" | wc -l) seeds, $(du -sk "$out/$target" | cut -f1) KiB"
done
