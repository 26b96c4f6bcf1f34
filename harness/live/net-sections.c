/* A .net file (golden or live) in its sections, and what its steps say. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "strbuf.h"

void net_sections_free(net_sections *s) {
        free(s->host);
        free(s->container);
        free(s->steps);
        *s = (net_sections) { 0 };
}

void net_sections_parse(const char *text, net_sections *ret) {
        nc_strbuf parts[3] = { { 0 } };
        int at = -1;

        *ret = (net_sections) { 0 };
        for (const char *line = text; line && *line;) {
                size_t len = strcspn(line, "\n");
                if (strncmp(line, "# host", 6) == 0)
                        at = 0;
                else if (strncmp(line, "# container ", 12) == 0)
                        at = 1;
                else if (strncmp(line, "# steps", 7) == 0)
                        at = 2;
                else if (at >= 0) {
                        nc_strbuf_append_len(&parts[at], line, len);
                        nc_strbuf_append_char(&parts[at], '\n');
                }
                if (at == 1 && !parts[1].data)
                        nc_strbuf_append(&parts[1], "");
                line += len + (line[len] == '\n');
        }
        if (parts[0].data)
                nc_strbuf_steal(&parts[0], &ret->host, NULL);
        if (parts[1].data)
                nc_strbuf_steal(&parts[1], &ret->container, NULL);
        if (parts[2].data)
                nc_strbuf_steal(&parts[2], &ret->steps, NULL);
        for (int i = 0; i < 3; i++)
                nc_strbuf_free(&parts[i]);
}

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
