/* What the steps of a .net file (golden or live, net-file.h) say. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "text.h"

bool net_step_failed(const char *steps, const char *stage) {
        char *needle = NULL;
        bool failed;

        if (!steps || asprintf(&needle, "%s: failed", stage) < 0)
                return false;
        failed = strstr(steps, needle) != NULL;
        free(needle);
        return failed;
}

static void postpone_host_setup(text *out, const char *line, size_t len, void *ended) {
        if (*(const bool *) ended && strncmp(line, "host-setup: ", 12) == 0)
                text_puts(out, "host-setup: not run\n");
        else
                text_append_line(out, line, len);
}

/* The golden's steps as a real nspawn can take them: a container whose
 * nspawn or container-init fails never sends READY=1, so systemd never runs
 * its postStart (the simulation runs it anyway). */
char *net_expected_steps(const char *golden_steps) {
        bool ended = net_step_failed(golden_steps, "nspawn") || net_step_failed(golden_steps, "init-setup");

        return text_edit_lines(golden_steps, postpone_host_setup, &ended);
}
