# The command lines of the harness's bash scripts (args.h is the same for
# the C tools): one list says each option and the variable it sets. Source
# it, set the defaults, then
#
#   args_parse "usage: x.sh --lib DIR --out DIR [--keep] FILE..." lib! out! keep? ... -- "$@"
#   set -- "${args_rest[@]}"
#
# Each SPEC is an option --NAME and how it is given:
#   NAME    takes a value, which goes to the variable NAME (dashes as
#           underscores); NAME=VAR puts it in VAR instead
#   NAME!   the same, and must be given
#   NAME?   takes no value; the variable is "yes" when it is given
#   ...     the script takes arguments after its options (at least one):
#           those after "--" or from the first word that is no option, in
#           the array args_rest; without it the script takes none
# A variable whose option is not given keeps its value. --help prints the
# usage and the script's opening comment (what it does) on stdout and exits 0; a wrong command line says what is wrong,
# prints the usage on stderr and exits 2.

args_parse() {
        local usage=$1 spec name var kind operands=no
        local -A var_of=() kind_of=() missing=()
        shift
        while [ $# -gt 0 ] && [ "$1" != -- ]; do
                spec=$1
                shift
                [ "$spec" = ... ] && { operands=yes; continue; }
                case $spec in
                *!) spec=${spec%!} kind=value; missing[${spec%%=*}]=1 ;;
                *\?) spec=${spec%\?} kind=flag ;;
                *) kind=value ;;
                esac
                name=${spec%%=*} var=${spec#*=}
                [ "$name" = "$spec" ] && var=${name//-/_}
                var_of[$name]=$var kind_of[$name]=$kind
                [ -v "$var" ] || printf -v "$var" ''
        done
        shift
        while [ $# -gt 0 ]; do
                case $1 in
                --) shift; break ;;
                --help) printf '%s\n\n' "$usage"; sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
                --?*) name=${1#--} ;;
                -?*) args_wrong "$usage" "unknown option $1" ;;
                *) break ;;
                esac
                case ${kind_of[$name]-} in
                value)
                        [ $# -ge 2 ] || args_wrong "$usage" "$1 wants a value"
                        printf -v "${var_of[$name]}" '%s' "$2"
                        unset "missing[$name]"
                        shift 2 ;;
                flag) printf -v "${var_of[$name]}" yes; shift ;;
                *) args_wrong "$usage" "unknown option $1" ;;
                esac
        done
        for name in "${!missing[@]}"; do
                args_wrong "$usage" "--$name is required"
        done
        if [ $operands = yes ] && [ $# -eq 0 ]; then
                args_wrong "$usage" "nothing to work on"
        elif [ $operands = no ] && [ $# -gt 0 ]; then
                args_wrong "$usage" "unexpected argument $1"
        fi
        args_rest=("$@")
}

# args_wrong USAGE WHY: the script ends with status 2, saying why.
args_wrong() {
        printf '%s: %s\n%s\n' "${0##*/}" "$2" "$1" >&2
        exit 2
}
