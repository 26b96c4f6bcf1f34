#!/usr/bin/env bash
# Writes a man page to standard output, from the same sources as the
# programs' own help, so that the two cannot say different things:
#   nixcontainer.1       `nixcontainer --help`, each `COMMAND --help`, and the
#                        `options` and `releases` tables (the loader's own)
#   nixcontainer-init.8  `nixcontainer-init --help` (the synopsis) and the
#                        opening comment of ref/init/nixcontainer-init.c
#   libnixcontainer.3    the comments and declarations of nixcontainer.h
#
#   gen-man.sh --cli NIXCONTAINER --init NIXCONTAINER_INIT --header NIXCONTAINER_H --version V PAGE
set -euo pipefail
if [ "${1:-}" = --help ]; then
        sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
        exit 0
fi
cli= init= header= version=
while [ $# -gt 1 ]; do
        case $1 in
        --cli) cli=$2; shift 2 ;;
        --init) init=$2; shift 2 ;;
        --header) header=$2; shift 2 ;;
        --version) version=$2; shift 2 ;;
        *) break ;;
        esac
done
page=${1:?usage: gen-man.sh --cli NIXCONTAINER --init NIXCONTAINER_INIT --header H --version V PAGE}
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(stat -c %Y "$header")}" +%Y-%m-%d)

# Text as roff reads it literally: backslashes escaped, a leading . or '
# made harmless.
roff_text() {
        sed -e 's/\\/\\e/g' -e "s/^[.']/\\\\\\&&/" -e 's/^-/\\-/'
}
# Text kept as its program wrapped it.
verbatim() {
        printf '.nf\n'
        roff_text
        printf '.fi\n'
}
# A Markdown table (the CLI's `options`, `releases`) as tagged paragraphs:
# the first column is the tag, the others "header: value".
table() {
        awk -F' [|] ' '
                function trim(s) { gsub(/^[| ]+|[| ]+$/, "", s); gsub(/`/, "", s); return s }
                NR == 1 { for (i = 1; i <= NF; i++) head[i] = trim($i); next }
                NR == 2 { next }
                {
                        print ".TP"; print "\\fB" trim($1) "\\fR"
                        for (i = 2; i <= NF; i++) { v = trim($i); print head[i] ": " v (i < NF ? ";" : v ~ /\.$/ ? "" : ".") }
                }' | sed -e 's/\\\([^f]\)/\\e\1/g' -e "s/^[.']\([^TP]\)/\\\\\\&.\1/"
}

case $page in
nixcontainer.1)
        printf '.TH NIXCONTAINER 1 %s "nixcontainer %s" "User Commands"\n' "$date" "$version"
        printf '.SH NAME\nnixcontainer \\- NixOS declarative containers: what the module renders and runs, from a JSON config\n'
        printf '.SH SYNOPSIS\n'
        "$cli" --help | sed -n 's/^  nixcontainer //p' | while read -r synopsis; do
                printf '.B nixcontainer\n%s\n.br\n' "$(printf '%s\n' "$synopsis" | roff_text)"
        done | sed '$d'

        printf '.SH DESCRIPTION\n'
        "$cli" --help | sed -n '3,/^$/p' | sed '/^$/d; s/ Commands:$//' | roff_text
        printf '.SH COMMANDS\n'
        "$cli" --help | sed -n 's/^  nixcontainer \([a-z][a-z-]*\).*/\1/p' | while read -r command; do
                printf '.SS %s\n' "$command"
                "$cli" "$command" --help | sed '1s/^usage: //; /^Every command also takes:/,$d' | verbatim
        done
        printf '.SH COMMON OPTIONS\n'
        "$cli" releases --help | sed -n '/^Every command also takes:/,$p' | verbatim
        printf '.SH OPTIONS OF A CONTAINER\nThe options the config file may set (\\fBnixcontainer options\\fR):\n'
        "$cli" options | table
        printf '.SH RELEASES\nThe releases of nixos-containers.nix this program follows (\\fBnixcontainer releases\\fR):\n'
        "$cli" releases | table
        printf '.SH EXIT STATUS\n'
        "$cli" --help | sed -n 's/^Exit status: //p' | roff_text
        printf '.SH FILES\n.TP\n.I LIBEXECDIR/nixcontainer-init\n'
        printf 'The container-init that \\fBargv\\fR names when \\fB\\-\\-init\\fR is not given: found relative to\n'
        printf 'the running \\fBnixcontainer\\fR (LIBEXECDIR as installed, e.g. \\fI../libexec\\fR from its\n'
        printf 'directory), else next to it (a build tree).\n'
        printf '.SH SEE ALSO\n\\fBnixcontainer-init\\fR(8), \\fBlibnixcontainer\\fR(3), \\fBsystemd-nspawn\\fR(1)\n'
        ;;
nixcontainer-init.8)
        init_source=$(dirname "$header")/init/nixcontainer-init.c
        printf '.TH NIXCONTAINER-INIT 8 %s "nixcontainer %s" "System Administration"\n' "$date" "$version"
        printf ".SH NAME\nnixcontainer-init \\\\- a NixOS container's PID 1, in place of the module's container-init\n"
        printf '.SH SYNOPSIS\n'
        "$init" --help | sed -n 's/^\(usage:\| \{6\}\) nixcontainer-init //p' | while read -r synopsis; do
                printf '.B nixcontainer-init\n%s\n.br\n' "$(printf '%s\n' "$synopsis" | roff_text)"
        done | sed '$d'
        printf '.SH DESCRIPTION\n'
        # The file's opening comment, its "/* " and " * " taken off.
        sed -n '1,/\*\//p' "$init_source" | sed -e 's#^/\* \{0,1\}##' -e 's#^ \*/##' -e 's#^ \* \{0,1\}##' \
                -e 's#^ \*$##' -e 's#\*/$##' | verbatim
        printf '.SH SEE ALSO\n\\fBnixcontainer\\fR(1), \\fBlibnixcontainer\\fR(3), \\fBsystemd-nspawn\\fR(1)\n'
        ;;
libnixcontainer.3)
        printf '.TH LIBNIXCONTAINER 3 %s "nixcontainer %s" "Library Functions Manual"\n' "$date" "$version"
        printf '.SH NAME\nlibnixcontainer \\- the NixOS declarative container module as a C library\n'
        printf '.SH SYNOPSIS\n.nf\n.B #include <nixcontainer.h>\n.PP\n'
        printf 'cc ... $(pkg\\-config \\-\\-cflags \\-\\-libs libnixcontainer)\n.fi\n'
        printf '.SH DESCRIPTION\n'
        # The header's opening comment is the description; each "---- part
        # ----" comment a section of the rest, shown as written.
        sed -n '1,/\*\//p' "$header" | sed -e 's#^/\* \{0,1\}##' -e 's#^ \*/##' -e 's#^ \* \{0,1\}##' \
                -e 's#\*/$##' | verbatim
        awk '
                /^\/\* ---- .* -+ \*\/$/ { sub(/^\/\* ---- /, ""); sub(/ -+ \*\/$/, ""); print "@SS " $0; next }
                /^#(ifndef|define) NIXCONTAINER_H|^#endif|^#ifdef __cplusplus|^extern "C"|^}$/ { next }
                started || /^#include/ { started = 1; print }
        ' "$header" | sed '1,/./{/^$/d}' | awk '
                /^@SS / { if (open) print ".fi"; print ".SS " substr($0, 5); print ".nf"; open = 1; next }
                NR == 1 && !/^@SS/ { print ".SS Declarations"; print ".nf"; open = 1 }
                { print }
                END { if (open) print ".fi" }
        ' | sed -e '/^\.\(SS\|nf\|fi\) \{0,1\}/!{s/\\/\\e/g;s/^[.'"'"']/\\\&&/}'
        printf '.SH SEE ALSO\n\\fBnixcontainer\\fR(1), \\fBnixcontainer-init\\fR(8), \\fBpkg-config\\fR(1)\n'
        ;;
*)
        echo "gen-man.sh: no page $page (nixcontainer.1, nixcontainer-init.8, libnixcontainer.3)" >&2
        exit 2
        ;;
esac
