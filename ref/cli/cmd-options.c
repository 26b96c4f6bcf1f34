/* nixcontainer options: the option table as Markdown (README's list). */
#include <stdio.h>

#include "cli.h"
#include "option-table.h"

static void rules_text(unsigned rules, char *out, size_t size) {
        static const struct { unsigned bit; const char *text; } names[] = {
                { NC_RULE_ENV_UNQUOTED, "env-unquoted" }, { NC_RULE_ENV_QUOTED, "env-quoted" },
                { NC_RULE_SPLIT, "no-split" },            { NC_RULE_SCRIPT, "script-text" },
                { NC_RULE_UNIT_LINE, "unit-line" },       { NC_RULE_NO_COMMA, "no-comma" },
        };
        size_t used = 0;

        out[0] = '\0';
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
                if (rules & names[i].bit)
                        used += (size_t) snprintf(out + used, size - used, "%s%s", used ? ", " : "", names[i].text);
        if (!used)
                snprintf(out, size, "-");
}

static void print_table(const nc_option_table *table, const char *prefix) {
        char rules[128];

        for (size_t i = 0; i < table->n_options; i++) {
                const nc_option *o = &table->options[i];
                rules_text(o->rules, rules, sizeof rules);
                printf("| `%s%s` | %s | %s | %s | %s | %s |\n", prefix, o->name, nc_type_name(o->type),
                       o->default_text ? o->default_text : "(required)", rules, o->rule_text ? o->rule_text : "-",
                       o->description);
        }
}

int cli_run_options(int argc, char **argv) {
        cli_args args;
        int status;

        if (cli_parse_args(cli_find_command("options"), argc, argv, 0, &args, &status) != 0)
                return status;
        printf("| option | type | default | strict: where it goes | strict: what it must be | meaning |\n"
               "|---|---|---|---|---|---|\n");
        print_table(&nc_container_options, "");
        print_table(&nc_network_options, "");
        print_table(&nc_forward_port_options, "forwardPorts.*.");
        print_table(&nc_bind_mount_options, "bindMounts.<name>.");
        print_table(&nc_allowed_device_options, "allowedDevices.*.");
        return 0;
}
