#!/usr/bin/env bash
# The namespace tier stopped in the middle of a run. After SIGINT or SIGTERM
# it must leave nothing behind: its scratch folders, its workers (with what
# they started, their namespaces included); the machine's namespaces, links
# and mounts (`ip netns list`, `ip -o link`, `findmnt`) as before. After a
# SIGKILL, its workers die with it, and the next run removes the folders it
# left; a run that is still going keeps its own.
#
#   test-kill.sh BUILD_DIR      (from the top of the tree; needs root)
set -u
netns="$1/test-netns"
run=(--impl original --fixtures fixtures --golden golden/21.05)
short=routed-ipv4-basic
. "$(dirname "$0")/../lib/tier.sh"
tier_help "$@"
tier_begin netns-kill
if [ "$(id -u)" != 0 ]; then
        tier_skipped=5 tier_note="; skipped: needs root (network namespaces)"
        tier_summary
        exit 0
fi
tier_scratch

# What the tier could leave on the machine outside its own namespaces.
machine() {
        ip netns list
        ip -o link | awk -F': ' '{ sub(/@.*/, "", $2); print "link " $2 }'
        findmnt -rn -o TARGET | sed 's/^/mount /'
}

# A full run, in the background, from when its workers are busy: $pid, and
# its workers in $workers (each leads a process group).
start() {
        "$netns" "${run[@]}" > "$tier_work/run.log" 2>&1 &
        pid=$!
        workers=""
        for _ in $(seq 100); do
                workers=$(pgrep -P "$pid")
                [ -n "$workers" ] && break
                sleep 0.05
        done
        sleep 0.5
}

folders_of() { # PID
        compgen -G "/tmp/nixcontainer-netns.$1.*" || true
}

# Processes left in the workers' process groups (zombies waiting for init
# to reap them are gone already).
left_of_workers() {
        local w
        for w in $workers; do
                ps -eo pgid=,stat=,pid=,args= | awk -v g="$w" '$1 == g && $2 !~ /^Z/'
        done
}

# Waits up to 2 s for the workers' groups to empty.
workers_gone() {
        for _ in $(seq 40); do
                [ -z "$(left_of_workers)" ] && return 0
                sleep 0.05
        done
        return 1
}

before=$(machine)
for sig in INT TERM; do
        start
        kill -s "$sig" "$pid"
        wait "$pid"
        status=$?
        {
                echo "exit status $status; workers: $workers"
                folders_of "$pid"
                left_of_workers
                diff <(echo "$before") <(machine)
        } > "$tier_work/out" 2>&1
        expected=$((128 + $(kill -l "$sig")))
        [ "$status" = "$expected" ] && [ -n "$workers" ] && [ -z "$(folders_of "$pid")" ] && workers_gone &&
                [ "$(machine)" = "$before" ]
        tier_check "SIG$sig in the middle of a run: it ends by the signal, nothing left" $?
done

start
exec 3>&2 2> /dev/null # (bash's "Killed" notice)
kill -KILL "$pid"
wait "$pid"
status=$?
exec 2>&3 3>&-
dead=$pid left=$(folders_of "$pid")
{
        echo "exit status $status; workers: $workers; left: $left"
        left_of_workers
} > "$tier_work/out" 2>&1
[ "$status" = 137 ] && [ -n "$left" ] && workers_gone
tier_check "SIGKILL: the workers die with it, its folders stay" $?

# The next run: the dead run's folders go, a running run's stay.
start
"$netns" "${run[@]}" --only "$short" > "$tier_work/out" 2>&1
status=$?
running=$(folders_of "$pid")
kill -TERM "$pid"
wait "$pid"
{
        echo "exit status $status; the dead run's folders: $(folders_of "$dead"); the running run's: $running"
        diff <(echo "$before") <(machine)
} >> "$tier_work/out" 2>&1
[ "$status" = 0 ] && [ -z "$(folders_of "$dead")" ] && [ -n "$running" ] && [ "$(machine)" = "$before" ]
tier_check "the next run removes what the killed run left, and not what a running one has" $?

# The tier run as a case of a tier in bash (tier_run: a session of its own,
# which a Ctrl-C does not reach), that tier stopped with SIGTERM: its
# cleanup stops the case with SIGTERM, and the namespace tier removes its
# folders (with SIGKILL first, they stayed behind).
bash -c '. "$1"; tier_begin netns-kill-outer; tier_scratch; shift; tier_run "$@"' \
        - "$(dirname "$0")/../lib/tier.sh" "$netns" "${run[@]}" > "$tier_work/outer.log" 2>&1 &
outer=$!
inner=""
for _ in $(seq 100); do
        inner=$(pgrep -P "$outer" -x test-netns)
        [ -n "$inner" ] && [ -n "$(pgrep -P "$inner")" ] && break
        sleep 0.05
done
sleep 0.5
kill -TERM "$outer"
wait "$outer"
status=$?
for _ in $(seq 40); do
        [ -z "$inner" ] || [ ! -e "/proc/$inner" ] && break
        sleep 0.05
done
{
        echo "exit status $status; the case: ${inner:-none}, its folders: $(folders_of "$inner")"
        compgen -G "/tmp/nixcontainer-netns-kill-outer.$outer.*"
        diff <(echo "$before") <(machine)
} > "$tier_work/out" 2>&1
[ "$status" = 143 ] && [ -n "$inner" ] && [ -z "$(folders_of "$inner")" ] &&
        [ -z "$(compgen -G "/tmp/nixcontainer-netns-kill-outer.$outer.*")" ] && [ "$(machine)" = "$before" ]
tier_check "run by a tier in bash (tier_run), that tier stopped with SIGTERM: the case's folders removed too" $?

tier_summary
[ "$tier_failed" = 0 ]
