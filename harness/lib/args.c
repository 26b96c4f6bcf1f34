/* The command lines of the tiers and the bench: see args.h. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "fixture.h"
#include "text.h"

/* getopt_long's value for options[i]; above every character, so that
 * getopt's '?' and ':' never collide with an option. */
#define ARG_VALUE_BASE 256
#define ARG_HELP (ARG_VALUE_BASE - 1)
#define ARG_VERSION (ARG_VALUE_BASE - 2)
#define USAGE_WIDTH 100

static int parse_number(const char *tool, const arg_option *o, const char *s) {
        long min = o->min, max = o->max ? o->max : o->kind == ARG_LONG ? LONG_MAX : (long) UINT_MAX, n;
        char *end = NULL;

        errno = 0;
        n = strtol(s, &end, 10);
        if (errno != 0 || end == s || *end != '\0' || n < min || n > max) {
                fprintf(stderr, "%s: --%s: expected a number from %ld to %ld, got \"%s\"\n", tool, o->name, min, max,
                        s);
                return -EINVAL;
        }
        if (o->kind == ARG_LONG)
                *(long *) o->value = n;
        else
                *(unsigned *) o->value = (unsigned) n;
        return 0;
}

static int store(const char *tool, const arg_option *o, const char *value) {
        switch (o->kind) {
        case ARG_STRING:
                *(const char **) o->value = value;
                return 0;
        case ARG_STRINGS:
                return nc_strv_push(o->value, value);
        case ARG_LONG:
        case ARG_UNSIGNED:
                return parse_number(tool, o, value);
        case ARG_FLAG:
                *(bool *) o->value = true;
                return 0;
        }
        return -EINVAL;
}

/* "usage: TOOL --fixtures DIR [--golden DIR] [--keep]", wrapped, then the
 * notes. */
static void print_usage(FILE *f, const char *tool, const arg_option *options, const char *notes) {
        int indent = fprintf(f, "usage: %s", tool), column = indent;

        for (const arg_option *o = options; o->name; o++) {
                const char *arg = o->arg ? o->arg : o->kind == ARG_LONG || o->kind == ARG_UNSIGNED ? "N" : "VALUE";
                char item[128];
                int len;

                len = snprintf(item, sizeof item, "%s--%s%s%s%s%s", o->required ? "" : "[", o->name,
                               o->kind == ARG_FLAG ? "" : " ", o->kind == ARG_FLAG ? "" : arg,
                               o->kind == ARG_STRINGS ? "..." : "", o->required ? "" : "]");
                if (column + 1 + len > USAGE_WIDTH)
                        column = fprintf(f, "\n%*s", indent, "") - 1;
                column += fprintf(f, " %s", item);
        }
        fprintf(f, "\n%s--help, --version: this text; the version (the project's, NC_VERSION)\n", notes ? notes : "");
}

void args_parse(int argc, char **argv, const arg_option *options, const char *notes) {
        const char *tool = program_invocation_short_name;
        struct option *table;
        bool *given;
        size_t n = 0;
        int c, r = 0;

        while (options[n].name)
                n++;
        table = calloc(n + 3, sizeof *table);
        given = calloc(n + 1, sizeof *given);
        if (!table || !given) {
                fprintf(stderr, "%s: %s\n", tool, strerror(ENOMEM));
                exit(1);
        }
        for (size_t i = 0; i < n; i++)
                table[i] = (struct option) { options[i].name,
                                             options[i].kind == ARG_FLAG ? no_argument : required_argument, NULL,
                                             ARG_VALUE_BASE + (int) i };
        table[n] = (struct option) { "help", no_argument, NULL, ARG_HELP };
        table[n + 1] = (struct option) { "version", no_argument, NULL, ARG_VERSION };

        while (r == 0 && (c = getopt_long(argc, argv, "", table, NULL)) != -1) {
                if (c == ARG_HELP)
                        r = 1;
                else if (c == ARG_VERSION) {
                        /* the suite's version is the project's (NC_VERSION) */
                        printf("%s %s (libnixcontainer %s)\n", tool, NC_VERSION, nc_version());
                        free(table);
                        free(given);
                        exit(0);
                }
                else if (c >= ARG_VALUE_BASE && c < ARG_VALUE_BASE + (int) n) {
                        given[c - ARG_VALUE_BASE] = true;
                        r = store(tool, &options[c - ARG_VALUE_BASE], optarg);
                } else
                        r = -EINVAL; /* getopt_long said what was wrong */
        }
        if (r == 0 && optind != argc) {
                fprintf(stderr, "%s: unexpected argument \"%s\"\n", tool, argv[optind]);
                r = -EINVAL;
        }
        for (size_t i = 0; r == 0 && i < n; i++)
                if (options[i].required && !given[i]) {
                        fprintf(stderr, "%s: --%s is required\n", tool, options[i].name);
                        r = -EINVAL;
                }
        free(table);
        free(given);
        if (r == 0)
                return;
        if (r == -ENOMEM) {
                fprintf(stderr, "%s: %s\n", tool, strerror(ENOMEM));
                exit(1);
        }
        print_usage(r > 0 ? stdout : stderr, tool, options, notes);
        exit(r > 0 ? 0 : 2);
}

/* The value of SOURCE's line "KEY: VALUE" up to a comma or the line's end
 * ("host stateVersion: 21.05, or the hostStateVersion a fixture sets"), as
 * a length into `source`; 0 when there is none. */
static size_t source_value(const char *source, const char *key, const char **ret_value) {
        size_t n = strlen(key);

        for (const char *line = source; *line; line += strcspn(line, "\n"), line += *line == '\n')
                if (strncmp(line, key, n) == 0 && strncmp(line + n, ": ", 2) == 0) {
                        *ret_value = line + n + 2;
                        return strcspn(*ret_value, ",\n");
                }
        return 0;
}

/* -EINVAL with *ret_error when DIR's SOURCE names another release or host
 * stateVersion than `release`; 0 when it agrees or there is no SOURCE. */
static int check_source(const char *dir, const char *release, char **ret_error) {
        const char *at = strchr(release, '@'), *state_version = at ? at + 1 : DEFAULT_SET, *made, *made_sv;
        size_t release_len = at ? (size_t) (at - release) : strlen(release), made_len, made_sv_len;
        char *source = read_file_at(dir, "SOURCE", NULL);
        int r = 0;

        if (!source) {
                char *parent = NULL;
                if (asprintf(&parent, "%s/..", dir) < 0)
                        return -ENOMEM;
                source = read_file_at(parent, "SOURCE", NULL);
                free(parent);
        }
        if (!source)
                return 0;
        made_len = source_value(source, "release", &made);
        made_sv_len = source_value(source, "host stateVersion", &made_sv);
        if (made_len && made_sv_len &&
            (made_len != release_len || strncmp(made, release, release_len) != 0 ||
             made_sv_len != strlen(state_version) || strncmp(made_sv, state_version, made_sv_len) != 0)) {
                bool own = made_sv_len != strlen(DEFAULT_SET) || strncmp(made_sv, DEFAULT_SET, made_sv_len) != 0;
                r = asprintf(ret_error, "%s holds the goldens of release %.*s at host stateVersion %.*s (its SOURCE), "
                             "not of %s: give --release %.*s%s%.*s", dir, (int) made_len, made, (int) made_sv_len,
                             made_sv, release, (int) made_len, made, own ? "@" : "", own ? (int) made_sv_len : 0,
                             made_sv) < 0 ? -ENOMEM : -EINVAL;
        }
        free(source);
        return r;
}

int args_release_golden(const char *golden_dir, const char *release, char **ret_dir, char **ret_error) {
        char *dir = NULL;
        int r;

        *ret_error = NULL;
        if (golden_dir ? !(dir = strdup(golden_dir)) : asprintf(&dir, "golden/%s", release) < 0)
                return -ENOMEM;
        r = check_source(dir, release, ret_error);
        if (r < 0) {
                free(dir);
                return r;
        }
        *ret_dir = dir;
        return 0;
}

bool args_list_has(const char *list, const char *word) {
        size_t len = strlen(word);

        if (!list)
                return true;
        for (const char *at = list; *at; at += strcspn(at, ","), at += *at == ',')
                if (strncmp(at, word, len) == 0 && (at[len] == ',' || at[len] == '\0'))
                        return true;
        return false;
}
