/* exec:CMD: a program honouring the nixcontainer CLI contract, run as
 *
 *   CMD prestart|init-setup|host-setup --env-file /dev/null --config CFG NAME [--compat]
 *
 * in the namespace the stage belongs to, with the same environment as the
 * original's scripts (the CLI reads the unit's variables from the process
 * environment; --env-file /dev/null keeps /etc/containers out of it).
 * Exit 0: done. Exit 1: failed, stderr "PROGRAM: COMMAND: STEP: MESSAGE"
 * (PROGRAM: the program's own name, "nixcontainer" for the ref). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "impl.h"
#include "run.h"

/* `err` after the name a program puts before its messages ("nixcontainer: ",
 * "myimpl: "): one word without blanks, then ": ". */
static const char *after_program_name(const char *err) {
        size_t n = strcspn(err, ": \t\n");

        return n > 0 && strncmp(err + n, ": ", 2) == 0 ? err + n + 2 : err;
}

int impl_exec_run(const nc_strv *command, const impl_call *call, impl_stage stage, char **ret_outcome) {
        const char *args[] = { impl_stage_name(stage), "--env-file", "/dev/null", "--config",
                               call->fixture->config_path, call->name, call->fixture->compat ? "--compat" : NULL };
        run_result result = { 0 };
        char **argv = calloc(command->n + ELEMENTSOF(args) + 1, sizeof(char *));
        char *prefix = NULL, *step = NULL;
        size_t n = 0;
        int r;

        if (!argv || asprintf(&prefix, "%s: ", impl_stage_name(stage)) < 0) {
                free(argv);
                return -ENOMEM;
        }
        for (size_t i = 0; i < command->n; i++)
                argv[n++] = command->items[i];
        for (size_t i = 0; i < ELEMENTSOF(args) && args[i]; i++)
                argv[n++] = (char *) args[i];
        r = run_command_netns(argv, call->envp, call->netns_fd, &result);
        if (r >= 0) {
                const char *err = result.err ? result.err : "";
                fprintf(stderr, "--- exec %s %s (exit %d)\n%s", call->name, impl_stage_name(stage), result.status, err);
                if (result.status == 0)
                        r = impl_outcome(ret_outcome, "ok");
                else if (result.status == 1 && (step = impl_step_from_message(after_program_name(err), prefix)))
                        r = impl_outcome(ret_outcome, "failed at: %s", step);
                else
                        r = impl_outcome(ret_outcome, "failed: exit %d: %.*s", result.status,
                                         (int) strcspn(err, "\n"), err);
        }
        free(step);
        free(prefix);
        free(argv);
        run_result_free(&result);
        return r;
}
