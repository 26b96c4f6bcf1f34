/* The original: the module's own scripts as `make golden` rendered them
 * (golden/<set>/<fixture>/NAME.prestart, NAME.init, NAME.poststart), run as
 * that release runs them, with -x added for the trace that tells which
 * command failed. NixOS runs preStart and postStart as `#!/bin/bash -e`
 * scripts (makeJobScript), or, where the unit sets enableStrictShellChecks
 * (24.11 and later), as writeShellApplication writes them: errexit, nounset
 * and pipefail. The container-init starts `#! /bin/bash -e` in every
 * release. bash's default PS4 is "+ " (and bash run by root ignores PS4
 * from the environment). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "impl.h"
#include "run.h"

static const char *script_suffix(impl_stage stage) {
        switch (stage) {
        case IMPL_PRESTART: return "prestart";
        case IMPL_INIT_SETUP: return "init";
        case IMPL_HOST_SETUP: return "poststart";
        }
        return "?";
}

int impl_original_run(const impl_call *call, impl_stage stage, char **ret_outcome) {
        char *script = NULL, *stage2 = NULL, *step = NULL;
        run_result result = { 0 };
        int r;

        if (asprintf(&script, "%s/%s.%s", call->fixture->golden_dir, call->name, script_suffix(stage)) < 0)
                return -ENOMEM;
        if (asprintf(&stage2, "%s/stage-2", call->workdir) < 0) {
                free(script);
                return -ENOMEM;
        }
        {
                /* containerInit ends with `. "$1"`: $1 is the stage-2 init, here an empty file. */
                bool strict = stage != IMPL_INIT_SETUP && golden_strict_shell(call->fixture, call->name);
                char *strict_argv[] = { (char *) "bash", (char *) "-e", (char *) "-u", (char *) "-o",
                                        (char *) "pipefail", (char *) "-x", script, NULL };
                char *argv[] = { (char *) "bash", (char *) "-e", (char *) "-x", script,
                                 stage == IMPL_INIT_SETUP ? stage2 : NULL, NULL };
                r = run_command_netns(strict ? strict_argv : argv, call->envp, call->netns_fd, &result);
        }
        if (r >= 0) {
                fprintf(stderr, "--- original %s %s (exit %d)\n%.*s", call->name, impl_stage_name(stage),
                        result.status, (int) result.err_len, result.err ? result.err : "");
                if (result.status == 0)
                        r = impl_outcome(ret_outcome, "ok");
                else if ((step = impl_last_traced_ip(result.err)))
                        r = impl_outcome(ret_outcome, "failed at: %s", step);
                else
                        r = impl_outcome(ret_outcome, "failed: exit %d", result.status);
        }
        free(step);
        free(script);
        free(stage2);
        run_result_free(&result);
        return r;
}
