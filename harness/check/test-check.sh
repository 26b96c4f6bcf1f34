#!/usr/bin/env bash
# `nixcontainer check`, each part against an oracle:
# - fixtures/check/NAME.json: `check --json` gives NAME.expected byte for
#   byte, and exits 1 when it holds an error, else 0;
# - every fixture of fixtures/ at every golden set: the steps check
#   predicts to fail are the ones the original's scripts failed at in the
#   set's namespace goldens (golden/SET/FIXTURE/NAME.net, "# steps"), for
#   each container whose systemd-nspawn started (check does not know the
#   host's own links, which --network-interface= needs);
# - each case of fixtures/check/ and every fixture of fixtures/ at
#   21.05: the starts replayed, in name order, with the real `ip` in
#   throwaway network namespaces (one for the host, one per container:
#   preStart's deletions, nspawn's veths, container-init's and postStart's
#   commands as the library plans them, build/check-oracle), and each
#   container's first failing command and what `ip` printed are what check
#   predicts (needs root, unshare and nsenter).
#
#   test-check.sh BUILD_DIR SET...      (from the top of the tree)
#   test-check.sh --update BUILD_DIR     writes fixtures/check/*.expected
#                                        (review them and run the tier)
set -u
update=false
. harness/lib/tier.sh
tier_help "$@"
[ "${1:-}" = --update ] && { update=true; shift; }
build=$1
shift
sets=("$@")
cli=$(realpath "$build/nixcontainer")
oracle=$(realpath "$build/check-oracle")
tier_begin check
tier_scratch
work=$tier_work

if $update; then
        for config in fixtures/check/*.json; do
                "$cli" check --json --config "$config" > "${config%.json}.expected"
                echo "wrote ${config%.json}.expected (exit $?)"
        done
        exit 0
fi

# predicted CONFIG [CHECK-OPTIONS...]: "NAME STAGE: STEP: ERROR", sorted
predicted() {
        local config=$1
        shift
        "$cli" check --json "$@" --config "$config" 2> /dev/null |
                jq -r '.[] | select(.step) | "\(.unit) \(.stage): \(.step): \(.error)"' | sort
}

# ---- fixtures/check/: the expected findings ----------------------------------
for config in fixtures/check/*.json; do
        case=$(basename "$config" .json)
        expected=${config%.json}.expected
        tier_run "$cli" check --json --config "$config"
        status=$?
        want=0
        grep -q '"severity": "error"' "$expected" && want=1
        if [ "$status" = "$want" ] && diff -u "$expected" <(sed '$d' "$work/out"; tail -n 1 "$work/out") > "$work/diff"; then
                tier_check "check/$case: the expected findings, exit $want" 0
        else
                { echo "exit $status, expected $want"; cat "$work/diff"; } > "$work/out"
                tier_check "check/$case: the expected findings, exit $want" 1
        fi
done

# ---- every fixture at every set: the failing steps of the .net goldens -------
# Each fixture's config is the host `make golden` evaluated, exported
# (golden/SET/FIXTURE/containers.json: the set's release and stateVersion;
# export-test checks that it gives the set's goldens); a fixture without one
# was refused by the module.

# golden_failures DIR: "NAME STAGE: failed at: STEP" of the containers nspawn
# started (one awk over the fixture's NAME.net files: their "# steps" part)
golden_failures() {
        local nets=("$1"/*.net)
        [ -e "${nets[0]}" ] || return 0
        awk 'FNR == 1 { name = FILENAME; sub(/.*\//, "", name); sub(/\.net$/, "", name); steps = 0; started = 0 }
             /^# steps/ { steps = 1; next }
             /^# / { steps = 0 }
             steps && /^nspawn: ok/ { started = 1 }
             steps && started && /^(init-setup|host-setup): failed at: / {
                     stage = $1; sub(/:$/, "", stage); step = $0; sub(/^[^:]*: failed at: /, "", step)
                     print name " " stage ": " step
             }' "${nets[@]}" | sort
}

for set in "${sets[@]}"; do
        compared=0 differ=0 skipped=0
        rm -rf "$work/set-findings" "$work/set-ours" && mkdir "$work/set-findings" "$work/set-ours"
        : > "$work/set.out"
        for fixture in fixtures/*.json; do
                name=$(basename "$fixture" .json)
                dir=golden/$set/$name
                if [ ! -e "$dir/containers.json" ] || ! ls "$dir"/*.net > /dev/null 2>&1; then
                        skipped=$((skipped + 1))
                        continue
                fi
                "$cli" check --json --config "$dir/containers.json" > "$work/set-findings/$name.json" 2> /dev/null
                if [ $? = 2 ]; then
                        rm "$work/set-findings/$name.json"
                        skipped=$((skipped + 1))
                fi
        done
        # The step alone (the golden has no error text), for every fixture
        # in one jq run: "FIXTURE<TAB>NAME STAGE: STEP" into ours/FIXTURE.
        for findings in "$work/set-findings"/*.json; do : > "$work/set-ours/$(basename "$findings" .json)"; done
        jq -r 'input_filename as $f | .[] | select(.step)
               | "\($f | sub(".*/"; "") | sub("\\.json$"; ""))\t\(.unit) \(.stage): \(.step)"' "$work/set-findings"/*.json |
                while IFS=$'\t' read -r name line; do printf '%s\n' "$line" >> "$work/set-ours/$name"; done
        for ours in "$work/set-ours"/*; do
                [ -e "$ours" ] || continue
                name=$(basename "$ours")
                sort -o "$ours" "$ours"
                golden_failures "golden/$set/$name" > "$work/theirs"
                compared=$((compared + 1))
                if ! cmp -s "$ours" "$work/theirs"; then
                        differ=$((differ + 1))
                        { echo "$name:"; diff "$work/theirs" "$ours" | sed 's/^</  golden:/; s/^>/  check: /' | grep -v '^---\|^[0-9]'; } >> "$work/set.out"
                fi
        done
        cp "$work/set.out" "$work/out"
        tier_check "set $set: the failing steps check predicts are the .net goldens' ($compared fixtures, $differ differ; $skipped without a .net golden or refused)" "$differ"
done

# ---- the real `ip` in throwaway namespaces ---------------------------------
# replay ORACLE-OUTPUT: run in a new network namespace; prints "NAME STAGE: STEP: ERROR"
replay() {
        cat > "$work/replay.sh" <<'REPLAY'
set -u
ip link set lo up
name="" holder="" failed=false n=0
declare -a holders=()
finish() { for h in "${holders[@]}"; do kill "$h" 2> /dev/null; done; }
trap finish EXIT
# link_add HOST PEER: a veth, HOST here, PEER in the container's namespace;
# a name over 15 bytes is an altname, as nspawn v252 gives it.
link_add() {
        local host=$1 peer=$2 short=$1
        n=$((n + 1))
        [ ${#host} -gt 15 ] && short=vc$n
        ip link add "$short" type veth peer name "$peer" netns "$holder" 2> /dev/null || return 1
        [ "$short" = "$host" ] || ip link property add dev "$short" altname "$host"
}
# The host's bridges, which check takes to exist: made when a command needs one.
bridge() {
        ip link show "$1" > /dev/null 2>&1 || { ip link add "$1" type bridge && ip link set "$1" up; }
}
run() {
        local stage=$1 text=$2 words err
        read -ra words <<< "$text"
        [[ $stage == host-setup && $text =~ \ master\ ([^ ]+) ]] && bridge "${BASH_REMATCH[1]}"
        if [ "$stage" = init-setup ]; then
                err=$(nsenter -t "$holder" -n "${words[@]}" 2>&1 > /dev/null)
        else
                err=$("${words[@]}" 2>&1 > /dev/null)
        fi || { echo "$name $stage: $text: $(printf '%s' "$err" | head -n 1)"; failed=true; }
}
while read -r tag rest; do
        case $tag in
        container)
                name=$rest failed=false
                unshare -n sleep 600 &
                holder=$!
                holders+=("$holder")
                # Until unshare has made the holder's namespace.
                while [ "$(readlink "/proc/$holder/ns/net")" = "$(readlink /proc/self/ns/net)" ]; do sleep 0.002; done
                nsenter -t "$holder" -n ip link set lo up ;;
        delete) ip link del dev "$rest" 2> /dev/null || true ;;
        nspawn)
                $failed && continue
                case $rest in
                --network-veth) link_add "ve-$name" host0 || failed=true ;;
                --network-bridge=*)
                        br=${rest#--network-bridge=}
                        bridge "$br"
                        link_add "vb-$name" host0 && ip link set "vb-$name" master "$br" up || failed=true ;;
                --network-veth-extra=*)
                        pair=${rest#--network-veth-extra=}
                        link_add "${pair%%:*}" "${pair#*:}" || failed=true ;;
                esac ;;
        init) $failed || run init-setup "$rest" ;;
        host) $failed || run host-setup "$rest" ;;
        esac
done
REPLAY
        unshare -n bash "$work/replay.sh" < "$1" | sort
}

if [ "$(id -u)" != 0 ] || ! command -v unshare > /dev/null || ! command -v nsenter > /dev/null; then
        tier_skip "the real ip in throwaway namespaces" "needs root, unshare and nsenter"
else
        for config in fixtures/check/*.json fixtures/*.json; do
                case $config in
                fixtures/check/*) cp "$config" "$work/config.json" ;;
                *)
                        exported=golden/21.05/$(basename "$config" .json)/containers.json
                        [ -e "$exported" ] || continue
                        cp "$exported" "$work/config.json" ;;
                esac
                "$oracle" "$work/config.json" > "$work/oracle" 2> /dev/null || continue
                predicted "$work/config.json" > "$work/ours"
                # The fixtures whose starts all succeed are counted, not listed.
                replay "$work/oracle" > "$work/theirs"
                if [ ! -s "$work/ours" ] && [ ! -s "$work/theirs" ]; then
                        clean=$((${clean:-0} + 1))
                        continue
                fi
                diff "$work/theirs" "$work/ours" > "$work/out"
                status=$?
                tier_check "$config: the failing commands and what ip printed are check's ($(wc -l < "$work/ours") predicted)" "$status"
        done
        : > "$work/out"
        tier_check "${clean:-0} more fixtures: no failure predicted, none in the replay" 0
fi

tier_summary
[ "$tier_failed" = 0 ]
