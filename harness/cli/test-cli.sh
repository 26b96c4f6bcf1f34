#!/usr/bin/env bash
# The CLI's own edges, each checked against an oracle where there is one:
# - privileges: without CAP_NET_ADMIN, prestart, host-setup and init-setup
#   succeed or fail as the original's own scripts (golden/21.05/) do under
#   the same capability set, in a throwaway network namespace; a container
#   that needs no network step needs no capability;
# - prestart: each link it leaves is named on stderr, strict and --compat;
# - usage: each synopsis names the options its command accepts; a long
#   option without its argument is named as given; a directory as --config
#   is bad input (2), as a missing file is; a write error on stdout fails;
#   a NAME that starts with "-" follows "--".
#
#   test-cli.sh BUILD_DIR      (from the top of the tree)
set -u
. harness/lib/tier.sh
tier_help "$@"
build=$1
cli=$(realpath "$build/nixcontainer")
tier_begin cli
tier_scratch
work=$tier_work

# ---- privileges -------------------------------------------------------------
# stage_script STAGE: the original's script for the stage
stage_script() {
        case $1 in prestart) echo prestart ;; host-setup) echo poststart ;; init-setup) echo init ;; esac
}

# The fixtures: nothing to set up; a private network without addresses
# (the scripts test the variables and run no `ip`); addresses (`ip` runs).
privileges() {
        local fixture=$1 name=$2 stage=$3 script conf config original ours
        script=golden/21.05/$fixture/$name.$(stage_script "$stage")
        conf=golden/21.05/$fixture/$name.conf
        config=$work/$fixture.json
        jq '{format: "nixcontainer-containers/1", release: "21.05", stateVersion: "21.05", containers: .containers}' \
                "fixtures/$fixture.json" > "$config"
        : > "$work/stage2"
        # The unit's environment: the env file, root and INSTANCE.
        local environment="set -a; . $(realpath "$conf"); set +a; export INSTANCE=$name root=/var/lib/containers/$name"
        # (the root is not read by these stages)
        tier_run unshare -n capsh --drop=cap_net_admin -- -c "$environment; bash -e $(realpath "$script") $work/stage2"
        original=$?
        tier_run unshare -n capsh --drop=cap_net_admin -- -c "$environment; $cli $stage --env-file $(realpath "$conf") --config $config $name"
        ours=$?
        [ "$original" = 0 ] && [ "$ours" = 0 ] || { [ "$original" != 0 ] && [ "$ours" != 0 ]; }
        tier_check "without CAP_NET_ADMIN, $stage of $fixture: the original exits $original, the CLI $ours (both 0 or both not)" $?
}

if [ "$(id -u)" != 0 ] || ! command -v capsh > /dev/null || ! command -v jq > /dev/null; then
        tier_skip "privileges: each stage as the original's scripts under the same capabilities" \
                "needs root, capsh (libcap2-bin) and jq"
else
        for stage in prestart host-setup init-setup; do
                privileges minimal-path-only bare "$stage"
                privileges private-network-no-addresses isolated "$stage"
                privileges bridge-ipv4-prefix-24 bridged4 "$stage"
                privileges ephemeral-private-network eph "$stage"
        done
fi

# ---- prestart's reports -----------------------------------------------------
# An extraVeth named like a bridge and one named lo: strict leaves both and
# names them; --compat deletes the bridge, as the module's script does, and
# names lo, which the kernel keeps. Exit 0 either way.
printf '{"web": {"path": "/x", "extraVeths": {"eth0": {}, "lo": {}, "xv": {}}}}' > "$work/prestart.json"
# (machinectl terminate web: a no-op here, the host's machines are not ours)
mkdir -p "$work/bin" && ln -sf /bin/true "$work/bin/machinectl"
prestart_reports() { # MODE-FLAG...
        tier_run unshare -n bash -c "ip link add eth0 type bridge && ip link add xv type veth peer name xvc &&
                PATH=$work/bin:\$PATH INSTANCE=web $cli prestart --env-file /dev/null --config $work/prestart.json $* web 2>&1 &&
                ip -o link | cut -d: -f2"
}
if [ "$(id -u)" != 0 ]; then
        tier_skip "prestart names each link it leaves" "needs root (a network namespace)"
else
        prestart_reports
        [ $? = 0 ] && grep -q '^nixcontainer: prestart: left link eth0 in place: not a veth (kind bridge)' "$work/out" &&
                grep -q '^nixcontainer: prestart: left link lo in place: not a veth' "$work/out" &&
                grep -q '^ eth0$' "$work/out" && ! grep -q '^ xv' "$work/out"
        tier_check "prestart (strict) deletes the veth, leaves the bridge and lo and names them" $?
        prestart_reports --compat
        [ $? = 0 ] && grep -q '^nixcontainer: prestart: left link lo in place: the kernel refused to delete it' "$work/out" &&
                ! grep -q 'eth0' "$work/out" && ! grep -q '^ xv' "$work/out"
        tier_check "prestart --compat deletes the bridge too, as the script does, and names lo" $?
fi

# ---- usage ------------------------------------------------------------------
printf '{"-web": {"path": "/nix/store/x-system"}}' > "$work/dash.json"

# Each command's synopsis (--help) and the options its row of the command
# table accepts say the same: an option the synopsis names goes through to
# --help (exit 0), one it does not name is refused (exit 2); NAME and a
# --config outside brackets are required exactly where the synopsis says so.
"$cli" --help | sed -n 's/^  nixcontainer \([a-z].*\)/\1/p' > "$work/synopses"
while read -r command synopsis <&3; do
        for option in --compat -0 "--env-file F" "--init P" "--nspawn P" --json "--config F"; do
                named=no
                case " $synopsis " in *"[${option%% *}"* | *" ${option%% *} "*) named=yes ;; esac
                # shellcheck disable=SC2086 # the option and its argument are two words
                tier_run "$cli" "$command" $option --help
                status=$?
                { [ "$named" = yes ] && [ "$status" = 0 ]; } ||
                        { [ "$named" = no ] && [ "$status" = 2 ] && grep -q 'is not accepted here' "$work/out"; }
                tier_check "$command ${option%% *}: accepted (exit 0) exactly where its synopsis names it (named: $named)" $?
        done
        operand=
        case " $synopsis " in *" NAME "*) operand=web ;; esac
        tier_run "$cli" "$command"
        status=$?
        { [ -n "$operand" ] && grep -q 'expected exactly one container NAME' "$work/out"; } ||
                { [ -z "$operand" ] && ! grep -q 'expected exactly one container NAME' "$work/out"; }
        tier_check "$command: NAME required exactly where its synopsis says so" $?
        # shellcheck disable=SC2086 # no operand: no word
        tier_run "$cli" "$command" $operand
        case " $synopsis " in
        *" --config FILE"*) grep -q -- '--config FILE is required' "$work/out" ;;
        *) ! grep -q -- '--config FILE is required' "$work/out" ;;
        esac
        tier_check "$command: --config required exactly where its synopsis says so" $?
done 3< "$work/synopses"

tier_run "$cli" env-file --config
[ $? = 2 ] && grep -q 'missing argument: --config$' "$work/out"
tier_check "a long option without its argument is named as given (--config)" $?

tier_run "$cli" env-file --config "$work" web
[ $? = 2 ] && grep -q 'Is a directory' "$work/out"
tier_check "a directory as --config: exit 2, as a missing file" $?

tier_run "$cli" env-file --config "$work/missing.json" web
[ $? = 2 ]
tier_check "a missing --config: exit 2" $?

tier_run bash -c "'$cli' options > /dev/full"
[ $? = 1 ] && grep -q 'writing to stdout' "$work/out"
tier_check "options > /dev/full: exit 1 and the error said" $?

# Every command's output, --help's too: a write that fails is exit 1.
printf '{"web": {"path": "/nix/store/w-system", "privateNetwork": true, "localAddress": "10.0.0.3"},
          "db": {"path": "/nix/store/d-system", "privateNetwork": true, "localAddress": "10.0.0.3"}}' > "$work/full.json"
for words in --help help "unit --help" "check --help" --version releases "hosts --config $work/full.json" \
             "env-file --config $work/full.json web" "unit --config $work/full.json web" \
             "check --config $work/full.json" "check --json --config $work/full.json"; do
        tier_run bash -c "'$cli' $words > /dev/full"
        [ $? = 1 ] && grep -q 'writing to stdout' "$work/out"
        tier_check "$words > /dev/full: exit 1 and the error said" $?
done

tier_run "$cli" env-file --compat --config "$work/dash.json" -- -web
[ $? = 0 ] && grep -q '^SYSTEM_PATH=/nix/store/x-system$' "$work/out"
tier_check "a NAME that starts with - after --" $?

# A sign in localAddress: ip reads +10.0.0.1 as 10.0.0.1, glibc's hosts
# file reader does not (getent, over the hosts lines --compat prints as the
# module writes them); strict refuses it. The plain spelling resolves.
printf '{"signed": {"path": "/nix/store/s-system", "privateNetwork": true, "localAddress": "+10.0.0.1"},
          "plain": {"path": "/nix/store/p-system", "privateNetwork": true, "localAddress": "10.0.0.2"}}' > "$work/sign.json"
if [ "$(id -u)" != 0 ] || ! command -v getent > /dev/null; then
        tier_skip "a signed localAddress: glibc's reading of the hosts line" "needs root (a mount namespace) and getent"
else
        "$cli" hosts --compat --config "$work/sign.json" > "$work/sign.hosts"
        tier_run unshare -m bash -c "mount --bind '$work/sign.hosts' /etc/hosts &&
                getent hosts plain.containers && ! getent hosts signed.containers"
        [ $? = 0 ] && grep -q '^10.0.0.2 *plain.containers$' "$work/out"
        tier_check "a signed localAddress: its hosts line (--compat) is one glibc ignores; the plain one resolves" $?
fi
tier_run "$cli" hosts --config "$work/sign.json"
[ $? = 2 ] && grep -q 'containers.signed.localAddress: "+10.0.0.1" is read by iproute2 as 10.0.0.1' "$work/out"
tier_check "a signed localAddress: strict refuses it, naming what ip reads" $?

# One bad definition blocks what it touches and nothing else: the other
# container's commands work, `hosts` prints the others' lines, says which
# it left out and exits 2.
# blocks_only WHAT BAD REFUSAL BAD_JSON: BAD (at 10.0.0.2, with BAD_JSON's
# members) beside web (10.0.0.3); REFUSAL is what its refusal says (grep).
blocks_only() {
        local what=$1 bad=$2 refusal=$3
        printf '{"%s": {"path": "/nix/store/a-system", "privateNetwork": true, "localAddress": "10.0.0.2"%s},
                  "web": {"path": "/nix/store/w-system", "privateNetwork": true, "localAddress": "10.0.0.3"}}' \
                "$bad" "$4" > "$work/blocks.json"
        tier_run "$cli" env-file --config "$work/blocks.json" web
        [ $? = 0 ] && grep -q '^SYSTEM_PATH=/nix/store/w-system$' "$work/out"
        tier_check "beside a refused $what, another container's env-file" $?
        tier_run "$cli" env-file --config "$work/blocks.json" "$bad"
        [ $? = 2 ] && grep -q "$refusal" "$work/out"
        tier_check "the container with the refused $what: exit 2, its refusal named" $?
        tier_run "$cli" hosts --config "$work/blocks.json"
        [ $? = 2 ] && grep -q '^10.0.0.3 web.containers$' "$work/out" && grep -q "containers.$bad" "$work/out" &&
                ! grep -q '10.0.0.2' "$work/out"
        tier_check "hosts beside a refused $what: the others' lines, the refusal said, exit 2" $?
        tier_run "$cli" check --config "$work/blocks.json"
        [ $? = 2 ] && grep -q "$refusal" "$work/out"
        tier_check "check beside a refused $what: the refusal said, exit 2" $?
}
# a name machined refuses
blocks_only name _x 'containers._x: ' ''
# a value strict mode refuses (a glob in interfaces)
blocks_only value db 'containers.db.interfaces\[0\]: contains a glob character' ', "interfaces": ["*"]'

# --compat does no pathname expansion, and says so where bash would expand.
printf '{"web": {"path": "/nix/store/w-system", "interfaces": ["eth*"]}}' > "$work/glob.json"
tier_run "$cli" argv --compat --env-file /dev/null --config "$work/glob.json" web
grep -q 'note: containers.web.interfaces\[0\]: "eth\*" is passed as written: --compat does no pathname expansion' "$work/out"
tier_check "--compat notes a glob it passes as written" $?

# ---- the harness's contract with another implementation -----------------
# A wrapper that only words its refusals differently passes the
# conformance suite (which wants exit 2, nothing on stdout and the option
# named), and fails it with --exact-messages (the ref's own check); one
# that prints a wrong env file fails, with the file and line said.
if [ -x "$build/test-conformance" ]; then
        # (Absolute paths: the suite runs a CLI with the unit's PATH alone.)
        cat > "$work/reworded" <<WRAP
#!/bin/bash
exec 3>&1
err=\$("$cli" "\$@" 2>&1 1>&3); status=\$?
[ -z "\$err" ] || printf '%s\n' "\$err" | /bin/sed -E 's/^nixcontainer: (containers\.[^:]*): .*/other-impl: \1 is not accepted/' >&2
exit \$status
WRAP
        cat > "$work/wrong" <<WRAP
#!/bin/bash
"$cli" "\$@"; status=\$?
[ "\$1" != env-file ] || echo EXTRA=1
exit \$status
WRAP
        chmod +x "$work/reworded" "$work/wrong"
        conformance=$(realpath "$build/test-conformance")
        tier_run env -u NC_REPORTS_DIR "$conformance" --cli-only --fixtures fixtures/invalid --golden golden/21.05/invalid --cli "$work/reworded"
        tier_check "another wording of every refusal passes the invalid corpus" $?
        tier_run env -u NC_REPORTS_DIR "$conformance" --cli-only --fixtures fixtures/invalid --golden golden/21.05/invalid --cli "$work/reworded" --exact-messages
        [ $? != 0 ] && grep -q 'FAIL cli/' "$work/out"
        tier_check "... and fails it with --exact-messages" $?
        tier_run env -u NC_REPORTS_DIR "$conformance" --cli-only --fixtures fixtures --only minimal-path-only \
                --cli "$work/wrong" --junit "$work/wrong.xml" --tap "$work/wrong.tap"
        [ $? != 0 ] && grep -q 'FAIL cli/env-file: .*bare.conf' "$work/out" &&
                grep -q 'minimal-path-only: cli/env-file differs' "$work/out" &&
                grep -q '<failure message="bare.conf line 7' "$work/wrong.xml" &&
                grep -A 2 '^not ok [0-9]* - minimal-path-only cli/env-file$' "$work/wrong.tap" |
                grep -q '^  message: "bare.conf line 7'
        tier_check "a wrong env file fails, the file named in the report, CUnit's line, the JUnit and TAP files" $?
        # Goldens of another release than --release (its SOURCE says) cannot match: refused, naming the one to give.
        tier_run "$conformance" --fixtures fixtures --golden golden/26.05@26.05
        [ $? = 2 ] && grep -q 'give --release 26.05@26.05$' "$work/out"
        tier_check "test-conformance refuses --golden of another release than --release, naming the one to give" $?
else
        tier_skip "the harness's contract with another implementation" "no $build/test-conformance (make)"
fi
# A failing network step is read from "PROGRAM: STAGE: STEP: ...": another
# program name passes the namespace tier where a step fails.
if [ -x "$build/test-netns" ] && [ "$(id -u)" = 0 ]; then
        cat > "$work/renamed" <<WRAP
#!/bin/bash
exec 3>&1
err=\$("$cli" "\$@" 2>&1 1>&3); status=\$?
[ -z "\$err" ] || printf '%s\n' "\$err" | /bin/sed 's/^nixcontainer: /other-impl: /' >&2
exit \$status
WRAP
        chmod +x "$work/renamed"
        tier_run env -u NC_REPORTS_DIR "$build/test-netns" --impl "exec:$work/renamed" --fixtures fixtures \
                --only routed-local-address-prefix-24,routed-ipv4-prefix-24
        tier_check "another program name before the failing step passes the namespace tier" $?
else
        tier_skip "another program name in the namespace tier" "not root, or no $build/test-netns (make)"
fi

# Every program and script of the harness answers --help: its usage and
# what it does (a line that is no usage line) on stdout, exit 0, doing
# nothing else. (harness/lib/*.sh are sourced, not run; ci/install-deps.sh
# and .ci/run answer too, but are not tried here: a --help they ignored
# would install packages or run every tier.)
for program in "$build/test-conformance" "$build/test-netns" "$build/release-diff" "$build/test-faults" \
               "$build/test-unit" "$build/nixcontainer-init" harness/*/*.sh ref/man/gen-man.sh ci/*.sh; do
        case $program in harness/lib/* | ci/install-deps.sh) continue ;; esac
        if [ -e "$program" ]; then
                case $program in *.sh) tier_run bash "$program" --help ;; *) tier_run "$program" --help ;; esac
                [ $? = 0 ] && grep -vq '^usage:\|^ \|^$' "$work/out"
                tier_check "$program --help" $?
        fi
done

# The version: the header's NC_VERSION, the one place it is written.
version=$(sed -n 's/^#define NC_VERSION "\(.*\)"$/\1/p' ref/nixcontainer.h)
tier_run "$cli" --version
[ $? = 0 ] && [ -n "$version" ] && grep -q "^nixcontainer $version (libnixcontainer $version; releases 21.05 " "$work/out" &&
        grep -q "^## $version " NEWS.md
tier_check "--version is the header's NC_VERSION ($version), which NEWS.md starts with" $?
[ "$(sed -n '1s/^nixcontainer (\([^)]*\)).*/\1/p' debian/changelog)" = "$version" ]
tier_check "debian/changelog's latest entry is $version" $?
[ "$(for part in MAJOR MINOR PATCH; do sed -n "s/^#define NC_VERSION_$part \([0-9]*\)$/\1/p" ref/nixcontainer.h; done |
        paste -sd .)" = "$version" ]
tier_check "NC_VERSION_MAJOR, _MINOR and _PATCH make $version" $?
# The installed programs besides the CLI say the same version.
for program in "$build/nixcontainer-init" "$build/test-conformance" "$build/test-netns" "$build/release-diff"; do
        if [ -e "$program" ]; then
                tier_run "$program" --version
                [ $? = 0 ] && grep -q "^${program##*/} $version (libnixcontainer $version)$" "$work/out"
                tier_check "$program --version says $version" $?
        fi
done

tier_summary
[ "$tier_failed" = 0 ]
