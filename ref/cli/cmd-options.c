/* nixcontainer options and releases: the option table and the release
 * table as Markdown (README's lists). */
#include <stdio.h>
#include <string.h>

#include "alloc-util.h"
#include "cli.h"
#include "option-table.h"

static void rules_text(unsigned rules, char *out, size_t size) {
        static const struct { unsigned bit; const char *text; } names[] = {
                { NC_RULE_ENV_UNQUOTED, "env-unquoted" }, { NC_RULE_ENV_QUOTED, "env-quoted" },
                { NC_RULE_SPLIT, "no-split" },            { NC_RULE_SCRIPT, "script-text" },
                { NC_RULE_UNIT_LINE, "unit-line" },       { NC_RULE_NO_COMMA, "no-comma" },
                { NC_RULE_GLOB, "no-glob" },
        };
        size_t used = 0;

        out[0] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (rules & names[i].bit)
                        used += (size_t) snprintf(out + used, size - used, "%s%s", used ? ", " : "", names[i].text);
        if (!used)
                snprintf(out, size, "-");
}

/* "21.05-", "25.11-", "21.05-22.11", "26.05" */
static void range_text(const nc_option *o, char *out, size_t size) {
        const char *first = nc_release_info_get(o->since)->name;

        if (o->before == 0)
                snprintf(out, size, "%s-", first);
        else if (o->before == o->since + 1)
                snprintf(out, size, "%s", first);
        else
                snprintf(out, size, "%s-%s", first, nc_release_info_get(o->before - 1)->name);
}

/* Every row of `table`, or those `release` declares (NULL: all). */
static void print_table(const nc_option_table *table, const char *prefix, const nc_release_info *release) {
        char rules[128], range[32];

        for (size_t i = 0; i < table->n_options; i++) {
                const nc_option *o = &table->options[i];
                if (release && !nc_option_in_release(o, release->id))
                        continue;
                rules_text(o->rules, rules, sizeof rules);
                range_text(o, range, sizeof range);
                printf("| `%s%s` | %s | %s | %s | %s | %s | %s |\n", prefix, o->name, range, nc_type_name(o->type),
                       o->default_text ? o->default_text : "(required)", rules, o->rule_text ? o->rule_text : "-",
                       o->description);
        }
}

int cli_run_options(int argc, char **argv) {
        const nc_release_info *release = NULL;
        cli_args args;
        int status;

        if (cli_parse_args(cli_find_command("options"), argc, argv, &args, &status) != 0)
                return status;
        if (args.release && !(release = nc_release_info_find(args.release))) {
                cli_error("options: release \"%s\": not a release this program follows (see nixcontainer releases)",
                          args.release);
                return NC_EXIT_USAGE;
        }
        printf("| option | releases | type | default | strict: where it goes | strict: what it must be | meaning |\n"
               "|---|---|---|---|---|---|---|\n");
        print_table(&nc_container_options, "", release);
        print_table(&nc_network_options, "", release);
        print_table(&nc_forward_port_options, "forwardPorts.*.", release);
        print_table(&nc_bind_mount_options, "bindMounts.<name>.", release);
        print_table(&nc_allowed_device_options, "allowedDevices.*.", release);
        return cli_flush_stdout();
}

/* What each release adds: the options whose range starts there. */
static void print_added(const nc_option_table *table, const char *prefix, nc_release_id id, bool *first) {
        for (size_t i = 0; i < table->n_options; i++) {
                const nc_option *o = &table->options[i];
                if (o->since == id && id != 0) {
                        printf("%s%s%s", *first ? "" : ", ", prefix, o->name);
                        *first = false;
                }
        }
}

int cli_run_releases(int argc, char **argv) {
        cli_args args;
        int status;

        if (cli_parse_args(cli_find_command("releases"), argc, argv, &args, &status) != 0)
                return status;
        printf("| release | module (shared/) | sha256 | reads stateVersion | options new or retyped |\n"
               "|---|---|---|---|---|\n");
        for (int id = 0; id < NC_RELEASE_COUNT; id++) {
                const nc_release_info *r = nc_release_info_get((nc_release_id) id);
                bool first = true;

                printf("| %s%s | %s | %s | %s | ", r->name, strcmp(r->name, NC_RELEASE_DEFAULT) == 0 ? " (default)" : "",
                       r->module, r->module_sha256, r->reads_state_version ? "yes (22.05: nixos- directories)" : "no");
                print_added(&nc_container_options, "", (nc_release_id) id, &first);
                print_added(&nc_network_options, "", (nc_release_id) id, &first);
                print_added(&nc_forward_port_options, "forwardPorts.*.", (nc_release_id) id, &first);
                printf("%s |\n", first ? "-" : "");
        }
        return cli_flush_stdout();
}
