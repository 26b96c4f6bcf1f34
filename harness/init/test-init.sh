#!/usr/bin/env bash
# nixcontainer-init as the container's PID 1 would run it, in throwaway
# network namespaces (unshare -n): the network setup, stage 2 sourced with
# the module's trap, a stop signal before and during stage 2, a failing step.
#
#   test-init.sh BUILD_DIR
#
# Its scratch folder, signals and closing line are every tier's
# (harness/lib/tier.sh).
set -u
. "$(dirname "$0")/../lib/tier.sh"
tier_help "$@"
build=$1
init=$(realpath "$build/nixcontainer-init")
tier_begin init
if [ "$(id -u)" != 0 ]; then
        tier_skipped=12 tier_note="; skipped: needs root for network namespaces"
        tier_summary
        exit 0
fi
tier_scratch
work=$tier_work

cat > "$work/stage2" <<'S2'
echo "stage2: $0 $1"
ip -br addr show dev eth0
ip route show
ip -br link show dev xv 2>/dev/null
ip -br addr show dev xv 2>/dev/null
S2
printf 'echo stage2-started; sleep 5; echo not-reached\n' > "$work/stage2-sleep"
printf 'echo "stage2: $0 $1"\n' > "$work/stage2-plain"
cat > "$work/config.json" <<'JSON'
{"web": {"path": "/x", "privateNetwork": true, "extraVeths": {"xv": {"hostAddress": "10.1.0.1", "localAddress": "10.1.0.2"}}}}
JSON

# 1. the network setup, then stage 2 sourced with $0/$1 as the original has them
tier_run unshare -n bash -c "ip link set lo up; ip link add host0 type veth peer name peer0; ip link add xv type veth peer name xvp
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOST_ADDRESS=10.0.0.1 LOCAL_ADDRESS=10.0.0.2 NIXCONTAINER_CONFIG=$work/config.json \
        $init $work/stage2"
status=$?
grep -q '^stage2: container-init .*/stage2$' "$work/out" && grep -q 'eth0.*10.0.0.2/32' "$work/out" &&
        grep -q '^default via 10.0.0.1 dev eth0' "$work/out" && grep -q '10.1.0.1 dev xv' "$work/out" &&
        grep -q 'xv@.*10.1.0.2/32' "$work/out" && [ $status = 0 ]
tier_check "network setup, extra veths from the config, stage 2 sourced" $?

# 2. SIGRTMIN+3 during stage 2: the trap exits 0
tier_run unshare -n bash -c "ip link set lo up
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $init $work/stage2-sleep & pid=\$!
        for i in \$(seq 50); do grep -q stage2-started /proc/\$pid/fd/1 2>/dev/null && break; sleep 0.1; done
        sleep 0.3; kill -s RTMIN+3 \$pid; wait \$pid"
status=$?
[ $status = 0 ] && ! grep -q not-reached "$work/out"
tier_check "SIGRTMIN+3 during stage 2 exits 0" $?

# 3. SIGRTMIN+3 before stage 2 (the init is blocked reading its config from
#    a FIFO): exits 0 and stage 2 never runs
mkfifo "$work/fifo"
tier_run unshare -n bash -c "ip link set lo up
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin NIXCONTAINER_CONFIG=$work/fifo $init $work/stage2 & pid=\$!
        sleep 0.5; kill -s RTMIN+3 \$pid; wait \$pid"
status=$?
[ $status = 0 ] && ! grep -q stage2 "$work/out"
tier_check "SIGRTMIN+3 before stage 2 exits 0, stage 2 not run" $?

# 4. a failing step ends the init as bash -e would: exit 1, the step named
tier_run unshare -n bash -c "ip link set lo up; ip link add host0 type veth peer name peer0
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOST_ADDRESS=10.0.0.1/24 LOCAL_ADDRESS=10.0.0.2 \
        $init $work/stage2"
status=$?
[ $status = 1 ] && grep -q '^nixcontainer-init: ip route add 10.0.0.1/24 dev eth0: ' "$work/out" && ! grep -q stage2 "$work/out"
tier_check "a failing step: exit 1, the step named, no stage 2" $?

# 5. no private network: nothing to set up, and no CAP_NET_ADMIN either (nspawn
#    grants none): the init must not need it, as the module's runs no `ip`
if command -v capsh > /dev/null; then
        tier_run unshare -n capsh --drop=cap_net_admin -- -c "env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
                $init $work/stage2-plain"
        status=$?
        [ $status = 0 ] && grep -q '^stage2: container-init' "$work/out"
        tier_check "no private network, no CAP_NET_ADMIN: stage 2 runs" $?
else
        tier_skip "no private network, no CAP_NET_ADMIN: stage 2 runs" "capsh missing (libcap2-bin)"
fi

# 6. the config's release decides the container-init: 26.05 sets eth0's MAC
#    address from LOCAL_MAC_ADDRESS before bringing it up (and a MAC alone
#    triggers the setup); 25.11's init has no such step. iproute2 reads back
#    what the link has.
mac=de:b7:73:01:10:90
for release in 26.05 25.11; do
        option=
        [ $release = 26.05 ] && option=", \"localMacAddress\": \"$mac\""
        printf '{"format": "nixcontainer-containers/1", "release": "%s", "stateVersion": "%s",
                 "containers": {"web": {"path": "/x", "privateNetwork": true%s}}}\n' \
                "$release" "$release" "$option" > "$work/config-$release.json"
        tier_run unshare -n bash -c "ip link set lo up; ip link add host0 type veth peer name peer0
                env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LOCAL_MAC_ADDRESS=$mac NIXCONTAINER_CONFIG=$work/config-$release.json \
                $init $work/stage2-plain; ip -br link show"
        status=$?
        if [ $release = 26.05 ]; then
                [ $status = 0 ] && grep -q "^eth0@peer0 .* $mac <.*,UP," "$work/out"
                tier_check "26.05: LOCAL_MAC_ADDRESS alone: host0 renamed, its MAC set, up" $?
        else
                [ $status = 0 ] && grep -q '^host0@peer0 *DOWN' "$work/out" && ! grep -q "$mac" "$work/out"
                tier_check "25.11: LOCAL_MAC_ADDRESS is no trigger and sets nothing" $?
        fi
done

# 7. a config named explicitly that cannot be used is an error, before stage
#    2: a missing file; several containers and no name (the hostname, which
#    nspawn sets to the machine's name, is none of them here); a name that
#    is not in it. (Without the default config the template's init runs: 4, 5.)
cat > "$work/two.json" <<'JSON'
{"alpha": {"path": "/x"}, "beta": {"path": "/y"}}
JSON
for case in "NIXCONTAINER_CONFIG=$work/missing.json:NIXCONTAINER_CONFIG=" \
            "NIXCONTAINER_CONFIG=$work/two.json:in it (2 containers; set NIXCONTAINER_NAME)" \
            "NIXCONTAINER_CONFIG=$work/two.json NIXCONTAINER_NAME=gamma:no container \"gamma\""; do
        tier_run unshare -n bash -c "env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ${case%%:*} $init $work/stage2-plain"
        status=$?
        [ $status = 1 ] && grep -qF "${case#*:}" "$work/out" && ! grep -q stage2 "$work/out"
        tier_check "an unusable config (${case%%:*}): exit 1, said, no stage 2" $?
done

# 8. --help and --version (nixcontainer-init(8)) on a host: each exits 0 and
#    says so, and neither sets up the network (host0 stays as it is, given a
#    HOST_ADDRESS) nor sources anything
for option in --help:"^usage: nixcontainer-init STAGE2" --version:"^nixcontainer-init [0-9]"; do
        tier_run unshare -n bash -c "ip link set lo up; ip link add host0 type veth peer name peer0
                env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOST_ADDRESS=10.0.0.1 LOCAL_ADDRESS=10.0.0.2 \
                $init ${option%%:*} && ip -br link show dev host0"
        status=$?
        [ $status = 0 ] && grep -q "${option#*:}" "$work/out" && grep -q '^host0@' "$work/out" &&
                ! grep -q 'eth0\|^nixcontainer-init: \|^container-init: ' "$work/out"
        tier_check "${option%%:*}: exit 0, said, no network setup, nothing sourced" $? || cat "$work/out"
done

tier_summary
[ $tier_failed = 0 ]
