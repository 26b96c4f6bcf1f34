#!/usr/bin/env bash
# Runs inside a private mount namespace (see generate.sh). /run, /nix and
# /var/lib are fresh tmpfs here, so the start script's mkdir/touch/cp land
# nowhere on the real system.
#
#   run-original.sh WORK OUT FIXTURE-ID...
set -euo pipefail
. "$(dirname "$0")/../lib/tier.sh"
tier_help "$@"
work=$1 out=$2
shift 2

[ -d /nix ] || { echo "run-original.sh: /nix must exist as a mount point (nix-bin creates it)" >&2; exit 1; }
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /nix
mount -t tmpfs tmpfs /var/lib
mkdir -p /nix/store /run/systemd/system /run/user/0
chmod 0700 /run/user/0
cp -a "$work/store/nix/store/." /nix/store/

# The stand-in packages of the unit's PATH point at this machine's tools;
# systemd's bin/ holds only the recording systemd-nspawn.
nspawn=$(jq -r .nspawn "$work/eval/$1.json")
for pkg in $(for id in "$@"; do jq -r '[.template, .containers[].unit][] | select(. != null) | .packages[]' \
                "$work/eval/$id.json"; done | sort -u); do
        mkdir -p "$pkg"
        if [ "$pkg/bin/systemd-nspawn" = "$nspawn" ]; then
                mkdir -p "$pkg/bin"
        elif [ "${pkg%-iproute2-*}" != "$pkg" ]; then
                # iproute2's `ip` only records the commands the scripts run.
                mkdir -p "$pkg/bin"
                cat > "$pkg/bin/ip" <<'IP'
#!/bin/bash
echo "ip $*" >> /run/golden.ip
IP
                chmod 0755 "$pkg/bin/ip"
                iproute2=$pkg
        else
                ln -sfn /usr/bin "$pkg/bin"
                ln -sfn /usr/sbin "$pkg/sbin"
        fi
done
cat > "$nspawn" <<'REC'
#!/bin/bash
# Records the argv the start script execs and the environment it gets,
# NUL-terminated, and exits.
printf '%s\0' "$0" "$@" > /run/golden.argv
env -0 > /run/golden.environ
REC
chmod 0755 "$nspawn"
# nixos-container (25.11 and later run `nixos-container update NAME` for a
# flake container without a profile): records its argv and builds nothing.
nixos_container=$(jq -r '.nixosContainer' "$work/eval/$1.json")
mkdir -p "$nixos_container/bin"
cat > "$nixos_container/bin/nixos-container" <<'REC'
#!/bin/bash
printf '%s\0' "$0" "$@" > /run/golden.nixos-container
REC
chmod 0755 "$nixos_container/bin/nixos-container"

# A unit's script as NixOS's systemd module builds it (makeJobScript): with
# enableStrictShellChecks (24.11 and later) as writeShellApplication writes
# it, errexit, nounset and pipefail; before, a `-e` shebang.
# job_script SCRIPT-TEXT-FILE STRICT OUT
job_script() {
        if [ "$2" = true ]; then
                printf '#!/bin/bash\nset -o errexit\nset -o nounset\nset -o pipefail\n\n'
        else
                printf '#!/bin/bash -e\n'
        fi > "$3"
        cat "$1" >> "$3"
        printf '\n' >> "$3"
        chmod 0755 "$3"
}

export XDG_RUNTIME_DIR=/run/user/0
# What the user manager gives every transient unit by itself (HOME, USER,
# INVOCATION_ID, ...), and bash's own additions: taken out of the recorded
# nspawn environment, which keeps what the module's unit and script set.
baseline_environ=$work/baseline.environ
env -i XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        /lib/systemd/systemd --user > "$work/manager.log" 2>&1 &
manager=$!
trap 'kill $manager 2>/dev/null; wait $manager 2>/dev/null || true' EXIT
for _ in $(seq 100); do
        [ -S "$XDG_RUNTIME_DIR/systemd/private" ] && break
        sleep 0.1
done
[ -S "$XDG_RUNTIME_DIR/systemd/private" ] || { echo "run-original.sh: systemd --user did not start:" >&2; cat "$work/manager.log" >&2; exit 1; }

printf '#!/bin/bash -e\nexec %s\n' "$nspawn" > "$work/baseline"
chmod 0755 "$work/baseline"
for attempt in 1 2 3 4 5; do
        rm -f /run/golden.environ
        systemd-run --user --wait --pipe --quiet --collect --unit="golden-baseline-$attempt" "$work/baseline" \
                < /dev/null > /dev/null 2>&1 && [ -f /run/golden.environ ] && break
        sleep 1
done
[ -f /run/golden.environ ] || { echo "run-original.sh: could not record a bare unit's environment" >&2; exit 1; }
mv /run/golden.environ "$baseline_environ"

# The entries of ENVIRON (NUL-separated) that a bare unit's environment
# does not have with the same value, sorted, NUL-terminated; without what
# systemd sets anew for each invocation (systemd.exec(5): INVOCATION_ID,
# SYSTEMD_EXEC_PID, JOURNAL_STREAM, MANAGERPID) and bash's `_`.
environ_delta() {
        sort -z "$1" | comm -z -23 - <(sort -z "$baseline_environ") |
                grep -z -v -E '^(INVOCATION_ID|SYSTEMD_EXEC_PID|JOURNAL_STREAM|MANAGERPID|_)='
}

# The `ip` commands of postStart (as a unit with the same environment) and
# of container-init (with the environment nspawn's --setenv gives it), as the
# scripts run them with an `ip` that always succeeds.
record_ip_commands() {
        local setenv=() i
        # preStart first, as systemd runs it (its `ip link del` steps; its
        # errors are ignored by the script itself).
        rm -f /run/golden.ip
        if systemd-run --user --wait --pipe --quiet --collect --unit="container@$name-prestart" \
                -p "WorkingDirectory=$dir" -p "EnvironmentFile=-$work/$name.conf" \
                -p "Environment=root=$root" -p "Environment=INSTANCE=$name" -p "Environment=PATH=$path" \
                /bin/bash $shell_options "$name.prestart" < /dev/null > "$dir/$name.prestart.error" 2>&1; then
                rm -f "$dir/$name.prestart.error"
                touch /run/golden.ip
                mv /run/golden.ip "$dir/$name.prestart.ip"
        fi
        rm -f /run/golden.ip
        # (Run from $dir, so that a message names no machine path.)
        if ! systemd-run --user --wait --pipe --quiet --collect --unit="container@$name-poststart" \
                -p "WorkingDirectory=$dir" -p "EnvironmentFile=-$work/$name.conf" \
                -p "Environment=root=$root" -p "Environment=INSTANCE=$name" -p "Environment=PATH=$path" \
                /bin/bash $shell_options "$name.poststart" < /dev/null > "$dir/$name.host-setup.error" 2>&1; then
                rm -f /run/golden.ip
        else
                rm -f "$dir/$name.host-setup.error"
                touch /run/golden.ip
                mv /run/golden.ip "$dir/$name.host-setup.ip"
        fi
        mapfile -d '' -t args < "$dir/$name.argv"
        for ((i = 0; i < ${#args[@]}; i++)); do
                if [ "${args[i]}" = --setenv ]; then
                        setenv+=("${args[i + 1]}")
                fi
        done
        if ! (cd "$dir" && env -i "${setenv[@]}" "PATH=$iproute2/bin:/usr/bin:/bin" \
                /bin/bash -e "$name.init" /dev/null > "$name.init-setup.error" 2>&1); then
                rm -f /run/golden.ip
                return
        fi
        rm -f "$dir/$name.init-setup.error"
        touch /run/golden.ip
        mv /run/golden.ip "$dir/$name.init-setup.ip"
}

for id in "$@"; do
        eval_json=$work/eval/$id.json
        dir=$out/$id
        rm -rf "$dir"
        mkdir -p "$dir"
        # Each fixture on a fresh host: what an earlier fixture's start
        # script made (profiles, roots, runtime folders of a container of the
        # same name) would decide branches of this one's ("no profile yet").
        rm -rf /nix/var/nix/profiles/per-container /nix/var/nix/gcroots/per-container \
                /var/lib/containers /var/lib/nixos-containers /run/containers /run/nixos-containers
        jq -j .hosts "$eval_json" > "$dir/hosts"
        # The module's `warnings` (NixOS prints them when it builds the system).
        if [ "$(jq '.warnings | length' "$eval_json")" != 0 ]; then
                jq -r '.warnings[]' "$eval_json" > "$dir/warnings"
        fi
        for name in $(jq -r '.containers | keys[]' "$eval_json"); do
                c() { jq -j --arg n "$name" ".containers[\$n].$1" "$eval_json"; }
                c conf > "$dir/$name.conf"
                if [ "$(c unit)" = null ]; then
                        # An imperative container on a host without the
                        # container@ template (25.11 and later, when no
                        # container is declarative): there is no unit to start.
                        echo "no unit container@$name: the host has no container@ template (boot.enableContainers is false)" \
                                > "$dir/$name.start-error"
                        continue
                fi
                c unit.preStart > "$dir/$name.prestart"
                c unit.postStart > "$dir/$name.poststart"
                c envFile > "$dir/$name.conf-path"
                strict=$(jq -r --arg n "$name" '.containers[$n].unit.service.enableStrictShellChecks // false' "$eval_json")
                # preStart and postStart run with the job script's shell
                # options on bash's command line, from $dir, so that a message
                # names the script and its own line ("web.poststart: line 7").
                if [ "$strict" = true ]; then shell_options="-e -u -o pipefail"; else shell_options=-e; fi
                jq -S --arg n "$name" '.containers[$n].unit.service' "$eval_json" > "$dir/$name.service.json"
                root=$(c unit.environment.root); root=${root//%i/$name}
                path=$(c unit.PATH)
                printf 'root=%s\nINSTANCE=%s\nPATH=%s\n' "$root" "$name" "$path" > "$dir/$name.unit-env"

                # NixOS checks the job script with `bash -n` when the system is
                # built (shellcheck too with enableStrictShellChecks: not run here).
                script=$work/start-$name
                c unit.script > "$work/start-$name.text"
                job_script "$work/start-$name.text" "$strict" "$script"
                # (Relative to $work, so the message names no temporary path.)
                if ! (cd "$work" && bash -n "start-$name") 2> "$dir/$name.start-error"; then
                        continue
                fi
                init=$(grep -o '/nix/store/[a-z0-9]*-container-init' "$script" | head -n 1)
                cp "$init" "$dir/$name.init"

                # The file behind --personality: ${SYSTEM_PATH}/system.
                guest=$(jq -r --arg n "$name" '.[$n] // "x86_64-linux"' "$work/eval/$id.guest")
                sp=$(sed -n 's/^SYSTEM_PATH=//p' "$dir/$name.conf" | head -n 1)
                # Without SYSTEM_PATH the script reads the per-container
                # profile, which nixos-container create builds.
                [ -n "$sp" ] || sp=/nix/var/nix/profiles/per-container/$name/system
                # guestSystem "(missing)": no such file, as on a host where the
                # profile was never built.
                case $sp in
                /nix/*) [ "$guest" = "(missing)" ] || { mkdir -p "$sp" && printf '%s\n' "$guest" > "$sp/system"; } ;;
                esac

                cp "$dir/$name.conf" "$work/$name.conf"
                # The manager can fail to start a transient unit for reasons of
                # its own ("Transport endpoint is not connected"): retry those,
                # and never record them as the original's behaviour.
                started=no
                for attempt in 1 2 3 4 5; do
                        rm -f /run/golden.argv /run/golden.environ /run/golden.nixos-container
                        if systemd-run --user --wait --pipe --quiet --collect \
                                --unit="container@$name-golden-$attempt" \
                                -p "EnvironmentFile=-$work/$name.conf" \
                                -p "Environment=root=$root" -p "Environment=INSTANCE=$name" -p "Environment=PATH=$path" \
                                "$script" < /dev/null > "$work/start.log" 2>&1 && [ -f /run/golden.argv ]; then
                                started=yes
                                break
                        fi
                        grep -q "Failed to start transient" "$work/start.log" || { started=failed; break; }
                        sleep 1
                done
                # `nixos-container update`, when the script ran it (whether
                # or not the start went on).
                if [ -f /run/golden.nixos-container ]; then
                        cp /run/golden.nixos-container "$dir/$name.nixos-container"
                fi
                case $started in
                yes)
                        cp /run/golden.argv "$dir/$name.argv"
                        environ_delta /run/golden.environ > "$dir/$name.nspawn-env"
                        rm -f "$dir/$name.start-error"
                        record_ip_commands ;;
                failed)
                        { echo "the start script failed:"; sed "s|$work/||g" "$work/start.log"; } > "$dir/$name.start-error" ;;
                *)
                        echo "run-original.sh: $id/$name: systemd could not start the unit:" >&2
                        cat "$work/start.log" >&2
                        exit 1 ;;
                esac
                [ -s "$dir/$name.start-error" ] || rm -f "$dir/$name.start-error"
        done
        echo "golden: $id"
done
