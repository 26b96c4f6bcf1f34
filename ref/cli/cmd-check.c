/* nixcontainer check: the library's findings (nc_config_check()), as
 * lines or as JSON. */
#include <stdio.h>

#include "alloc-util.h"
#include "cli.h"

/* `s` as a JSON string. (Our own: the CLI links no JSON library, and the
 * library's writer is the unit renderer's, private to it.) */
static void print_json_string(const char *s) {
        putchar('"');
        for (; s && *s; s++) {
                unsigned char c = (unsigned char) *s;
                if (c == '"' || c == '\\')
                        printf("\\%c", c);
                else if (c < 0x20 || c == 0x7f)
                        printf("\\u%04x", c);
                else
                        putchar(c);
        }
        putchar('"');
}

static void print_json_member(const char *name, const char *value) {
        printf(", \"%s\": ", name);
        if (value)
                print_json_string(value);
        else
                fputs("null", stdout);
}

static void print_json_list(const char *name, const nc_strv *v) {
        printf(", \"%s\": [", name);
        for (size_t i = 0; i < v->n; i++) {
                if (i > 0)
                        fputs(", ", stdout);
                print_json_string(v->items[i]);
        }
        putchar(']');
}

/* A list of findings, one object a line. */
static void print_json(const nc_check_findings *findings) {
        putchar('[');
        for (size_t i = 0; i < findings->n; i++) {
                const nc_check_finding *f = &findings->items[i];
                fputs(i > 0 ? ",\n  " : "\n  ", stdout);
                printf("{\"kind\": \"%s\", \"severity\": \"%s\"", nc_check_kind_name(f->kind),
                       nc_check_severity_name(f->severity));
                print_json_list("containers", &f->containers);
                print_json_list("options", &f->options);
                print_json_member("message", f->message);
                print_json_member("unit", f->unit);
                print_json_member("stage", f->stage);
                print_json_member("step", f->step);
                print_json_member("error", f->step_error);
                putchar('}');
        }
        fputs(findings->n > 0 ? "\n]\n" : "]\n", stdout);
}

/* SEVERITY KIND: MESSAGE (OPTIONS)[; STAGE of UNIT fails at: STEP: ERROR] */
static void print_lines(const nc_check_findings *findings) {
        for (size_t i = 0; i < findings->n; i++) {
                const nc_check_finding *f = &findings->items[i];
                printf("%s %s: %s (", nc_check_severity_name(f->severity), nc_check_kind_name(f->kind), f->message);
                for (size_t o = 0; o < f->options.n; o++)
                        printf("%s%s", o > 0 ? ", " : "", f->options.items[o]);
                putchar(')');
                if (f->step)
                        printf("; %s of %s fails at: %s: %s", f->stage, f->unit, f->step, f->step_error);
                putchar('\n');
        }
}

int cli_run_check(int argc, char **argv) {
        _cleanup_(nc_config_freep) nc_config *config = NULL;
        _cleanup_(nc_check_findings_clear) nc_check_findings findings = { 0 };
        nc_error error = { { 0 } };
        cli_args args;
        int r, status;

        if (cli_parse_args(cli_find_command("check"), argc, argv, &args, &status) != 0 ||
            (status = cli_load_config(&args, &config)) != 0)
                return status;
        r = nc_config_check(config, &findings, &error);
        if (r < 0)
                return cli_fail(r, &error);
        if (args.json)
                print_json(&findings);
        else
                print_lines(&findings);
        /* The others' findings, then each container strict mode refused
         * (the library checks only the others): exit 2, as `hosts`. */
        status = cli_refused_any(config, cli_flush_stdout());
        return status != NC_EXIT_OK ? status : r > 0 ? NC_EXIT_FAILURE : NC_EXIT_OK;
}
