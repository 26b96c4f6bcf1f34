/* The implementations under test, for the tiers and the bench: the
 * module's own scripts (original, impl-original.c), a program honouring
 * the CLI contract (exec:CMD, impl-exec.c), and the library in-process
 * (ref, impl-ref.c). Each runs one stage for one container. */
#ifndef HARNESS_IMPL_H
#define HARNESS_IMPL_H

#include "fixture.h"

typedef enum impl_stage {
        IMPL_PRESTART,   /* the unit's preStart, in the host namespace */
        IMPL_INIT_SETUP, /* the network part of containerInit, in the container's */
        IMPL_HOST_SETUP, /* the unit's postStart, in the host namespace */
} impl_stage;

const char *impl_stage_name(impl_stage stage); /* "prestart", "init-setup", "host-setup" */

typedef enum impl_kind { IMPL_ORIGINAL, IMPL_EXEC, IMPL_REF } impl_kind;

typedef struct impl {
        impl_kind kind;
        nc_strv command; /* IMPL_EXEC: the command, split on spaces */
        char *label;     /* "original", "ref", "exec" */
} impl;

/* "original", "ref" or "exec:CMD". */
int impl_parse(const char *spec, impl *ret);
void impl_clear(impl *i);

typedef struct impl_call {
        const fixture *fixture;
        const char *name;     /* the container */
        char *const *envp;    /* the --setenv pairs of the golden argv, INSTANCE=NAME, PATH */
        int netns_fd;         /* where to act; -1: the caller's namespace (the host) */
        const char *workdir;  /* holds bin/machinectl (a no-op) and stage-2 (empty) */
} impl_call;

/* Runs the stage. Returns 0 with *ret_outcome = "ok", "failed at: STEP"
 * (STEP: the iproute2 command that failed, as xtrace shows it) or
 * "failed: WHY"; -errno when the harness itself failed. The details
 * (stderr) go to the caller's stderr. */
int impl_run(const impl *i, const impl_call *call, impl_stage stage, char **ret_outcome);

int impl_original_run(const impl_call *call, impl_stage stage, char **ret_outcome);
int impl_exec_run(const nc_strv *command, const impl_call *call, impl_stage stage, char **ret_outcome);
int impl_ref_run(const impl_call *call, impl_stage stage, char **ret_outcome);

/* Helpers for the implementations. */
int impl_outcome(char **ret_outcome, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* "nixcontainer: COMMAND: STEP: MESSAGE" or "STEP: MESSAGE" -> STEP, i.e.
 * `message` after `prefix` up to the first ": ". */
char *impl_step_from_message(const char *message, const char *prefix);
/* The last "+ ip ..." line of bash's xtrace (`trace`; may be NULL), without
 * "+ ": bash -e stops right after the command that failed, so that is the
 * step. NULL when there is none, or out of memory. */
char *impl_last_traced_ip(const char *trace);

#endif
