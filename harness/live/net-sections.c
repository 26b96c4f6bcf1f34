/* What the steps of a .net file (golden or live) say (net-file.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "strbuf.h"

bool net_step_failed(const char *steps, const char *stage) {
        char *needle = NULL;
        bool failed;

        if (!steps || asprintf(&needle, "%s: failed", stage) < 0)
                return false;
        failed = strstr(steps, needle) != NULL;
        free(needle);
        return failed;
}

/* The golden's steps as a real nspawn can take them: a container whose
 * nspawn or container-init fails never sends READY=1, so systemd never runs
 * its postStart (the simulation runs it anyway). */
char *net_expected_steps(const char *golden_steps) {
        bool ended = net_step_failed(golden_steps, "nspawn") || net_step_failed(golden_steps, "init-setup");
        nc_strbuf b = { 0 };
        char *out = NULL;

        for (const char *line = golden_steps; line && *line;) {
                size_t len = strcspn(line, "\n");
                if (ended && strncmp(line, "host-setup: ", 12) == 0)
                        nc_strbuf_append(&b, "host-setup: not run\n");
                else {
                        nc_strbuf_append_len(&b, line, len);
                        nc_strbuf_append_char(&b, '\n');
                }
                line += len + (line[len] == '\n');
        }
        nc_strbuf_steal(&b, &out, NULL);
        nc_strbuf_free(&b);
        return out;
}
