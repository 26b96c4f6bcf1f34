# What every tier does around its checks (harness/lib/tier.h), for the tiers
# written in bash: source it, then
#
#   tier_begin NAME [START]  the clock (from START, microseconds since the epoch,
#                         when given); removes the scratch folders that runs of
#                         the tier killed with SIGKILL left (their PID is gone)
#   tier_scratch          $tier_work: /tmp/nixcontainer-NAME.PID.XXXXXX, removed
#                         at exit and on SIGINT, SIGTERM and SIGHUP, with the
#                         case running then ($tier_child's process group:
#                         SIGTERM, then SIGKILL after 5 s)
#   tier_run CMD...       CMD in a session of its own, output in $tier_work/out;
#                         waited for with `wait`, which a trapped signal
#                         interrupts (a foreground command would delay it)
#   tier_check NAME STATUS   counts and prints a case (0: passed)
#   tier_skip NAME WHY    counts a skipped case
#   tier_summary          the closing line: "NAME: P passed, F failed, S skipped in T s[; WHY]";
#                         with $NC_REPORTS_DIR set, also the cases as JUnit XML and TAP
#                         in DIR/NAME.xml and DIR/NAME.tap (what results.c writes for
#                         the tiers in C)

tier_passed=0 tier_failed=0 tier_skipped=0 tier_note="" tier_child="" tier_work=""
# The cases, for the JUnit and TAP files: "STATUS<TAB>NAME<TAB>WHY" each.
tier_cases=()

# tier_help "$@": with --help as the script's first argument, prints the
# script's opening comment (its usage) and exits 0.
tier_help() {
        [ "${1:-}" = --help ] || return 0
        sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
        exit 0
}

tier_begin() {
        tier_name=$1
        tier_started=${2:-${EPOCHREALTIME/./}}
        local dir pid
        for dir in "/tmp/nixcontainer-$tier_name".*.*; do
                pid=${dir#"/tmp/nixcontainer-$tier_name."}
                pid=${pid%%.*}
                case $pid in '' | *[!0-9]*) continue ;; esac
                if [ -d "$dir" ] && [ ! -e "/proc/$pid" ] && [ ! -e "$dir/.kept" ]; then
                        rm -rf "$dir" && echo "$tier_name: removed $dir, left by run $pid (gone)"
                fi
        done
}

# The case running is stopped with SIGTERM first, so that a tier in C it
# runs (test-conformance, test-netns) removes its own scratch folders and
# namespaces as it does on a signal; what is left of its process group
# after 5 s is killed.
tier_cleanup() {
        if [ -n "$tier_child" ] && kill -TERM -- "-$tier_child" 2> /dev/null; then
                for _ in $(seq 50); do
                        kill -0 -- "-$tier_child" 2> /dev/null || break
                        sleep 0.1
                done
                kill -KILL -- "-$tier_child" 2> /dev/null
        fi
        wait 2> /dev/null
        [ -n "$tier_work" ] && rm -rf "$tier_work"
}

tier_scratch() {
        local sig
        tier_work=$(mktemp -d "/tmp/nixcontainer-$tier_name.$$.XXXXXX") || exit 1
        trap tier_cleanup EXIT
        for sig in INT TERM HUP; do
                # shellcheck disable=SC2064 # $sig now, $$ when it comes
                trap "tier_cleanup; trap - $sig EXIT; kill -s $sig \$\$" $sig
        done
}

tier_run() {
        setsid "$@" > "$tier_work/out" 2>&1 &
        tier_child=$!
        wait "$tier_child"
}

tier_check() {
        if [ "$2" = 0 ]; then
                tier_passed=$((tier_passed + 1))
                echo "  $1 ...passed"
                tier_cases+=("pass	$1	")
        else
                tier_failed=$((tier_failed + 1))
                echo "  $1 ...FAILED"
                [ -n "$tier_work" ] && [ -s "$tier_work/out" ] && sed 's/^/    | /' "$tier_work/out"
                tier_cases+=("fail	$1	$([ -n "$tier_work" ] && [ -s "$tier_work/out" ] && tail -n 20 "$tier_work/out")")
        fi
        return 0
}

tier_skip() {
        tier_skipped=$((tier_skipped + 1)) tier_note="; skipped: $2"
        echo "  $1 ...skipped ($2)"
        tier_cases+=("skip	$1	$2")
}

# XML text: the five special characters as entities.
tier_xml() {
        local s=$1
        s=${s//&/&amp;} s=${s//</&lt;} s=${s//>/&gt;} s=${s//\"/&quot;} s=${s//\'/&apos;}
        printf '%s' "$s"
}

tier_results() {
        local dir=$NC_REPORTS_DIR case status name why i=0 failures=0 skips=0
        for case in "${tier_cases[@]}"; do
                case ${case%%	*} in fail) failures=$((failures + 1)) ;; skip) skips=$((skips + 1)) ;; esac
        done
        {
                printf 'TAP version 13\n# %s\n1..%d\n' "$tier_name" ${#tier_cases[@]}
                for case in "${tier_cases[@]}"; do
                        i=$((i + 1)) status=${case%%	*} name=${case#*	} why=${name#*	} name=${name%%	*}
                        name=${name//#/ }
                        case $status in
                        pass) printf 'ok %d - %s\n' $i "$name" ;;
                        skip) printf 'ok %d - %s # SKIP %s\n' $i "$name" "${why//#/ }" ;;
                        fail) printf 'not ok %d - %s\n  ---\n  message: "%s"\n  ...\n' $i "$name" \
                                "$(printf '%s' "$why" | sed 's/[\\"]/\\&/g' | sed ':a;N;$!ba;s/\n/\\n/g')" ;;
                        esac
                done
        } > "$dir/$tier_name.tap"
        {
                printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
                printf '  <testsuite name="%s" tests="%d" failures="%d" errors="0" skipped="%d">\n' \
                        "$(tier_xml "$tier_name")" ${#tier_cases[@]} $failures $skips
                for case in "${tier_cases[@]}"; do
                        status=${case%%	*} name=${case#*	} why=${name#*	} name=${name%%	*}
                        printf '    <testcase classname="%s" name="%s"' "$(tier_xml "$tier_name")" "$(tier_xml "$name")"
                        case $status in
                        pass) printf '/>\n' ;;
                        skip) printf '>\n      <skipped message="%s"/>\n    </testcase>\n' "$(tier_xml "$why")" ;;
                        fail) printf '>\n      <failure message="%s">%s</failure>\n    </testcase>\n' \
                                "$(tier_xml "${why%%$'\n'*}")" "$(tier_xml "$why" | tr -d '\000-\010\013\014\016-\037')" ;;
                        esac
                done
                printf '  </testsuite>\n</testsuites>\n'
        } > "$dir/$tier_name.xml"
}

tier_summary() {
        local tenths=$(((${EPOCHREALTIME/./} - tier_started) / 100000))
        echo "$tier_name: $tier_passed passed, $tier_failed failed, $tier_skipped skipped in $((tenths / 10)).$((tenths % 10)) s$tier_note"
        if [ -n "${NC_REPORTS_DIR:-}" ]; then
                tier_results || echo "$tier_name: could not write the JUnit and TAP results in $NC_REPORTS_DIR" >&2
        fi
}
