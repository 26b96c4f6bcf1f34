/* A network script as data: the `ip` commands the module's script would
 * run, in order, each kept with its iproute2 text for messages. Building a
 * plan touches nothing; running it stops at the first failing step, as the
 * script does under `bash -e`. */
#ifndef NC_NET_PLAN_H
#define NC_NET_PLAN_H

#include <stddef.h>

#include "config-internal.h"

typedef enum nc_step_kind {
        NC_STEP_LINK_UP,            /* ip link set dev D up */
        NC_STEP_LINK_RENAME,        /* ip link set D name V */
        NC_STEP_LINK_ADDRESS,       /* ip link set dev D address V (26.05) */
        NC_STEP_LINK_MASTER_UP,     /* ip link set dev D master V up */
        NC_STEP_ADDRESS_ADD,        /* ip [-6] addr add V dev D */
        NC_STEP_ROUTE_ADD,          /* ip [-6] route add V dev D */
        NC_STEP_DEFAULT_ROUTE_ADD,  /* ip [-6] route add default via V */
} nc_step_kind;

typedef struct nc_step {
        nc_step_kind kind;
        bool ipv6;   /* the script says `ip -6` */
        char *dev;
        char *value;
        char *text;  /* the command as the script's xtrace shows it */
} nc_step;

typedef struct nc_plan {
        nc_step *steps;
        size_t n;
        size_t capacity;
} nc_plan;

int nc_plan_add(nc_plan *plan, nc_step_kind kind, bool ipv6, const char *dev, const char *value);
void nc_plan_clear(nc_plan *plan);
/* Runs the steps in order; on the first failure, returns its -errno with
 * the message "STEP: WHY" (WHY is the kernel's text when it gave one, else
 * what iproute2 would print). */
int nc_plan_run(nc_netlink *nl, const nc_plan *plan, nc_error *error);

/* Values as bash hands them to `ip`: a value the module pasted into the
 * script's text is parsed as script text (quotes, $VAR from `env`); a
 * value the script expands unquoted ($HOST_ADDRESS) is field-split. Each
 * must give exactly one word, else -ENOTSUP: `ip` would get other
 * arguments, which cannot be reproduced. */
int nc_plan_script_word(const char *text, const nc_env *env, char **ret_word);
int nc_plan_expanded_word(const char *value, char **ret_word);

/* Where a step's dev or value comes from in the script. */
typedef enum nc_value_source {
        NC_VALUE_LITERAL,  /* fixed text ("eth0", "host0") */
        NC_VALUE_SCRIPT,   /* a Nix value pasted into the script's text */
        NC_VALUE_EXPANDED, /* an unquoted $VARIABLE */
} nc_value_source;

/* nc_plan_add() with dev and value first resolved as bash would. */
int nc_plan_add_resolved(nc_plan *plan, nc_step_kind kind, bool ipv6, const nc_env *env, const char *dev,
                         nc_value_source dev_source, const char *value, nc_value_source value_source);

/* One side of renderExtraVeth: postStart's (the host's) or containerInit's
 * (the container's). */
typedef enum nc_plan_side {
        NC_PLAN_HOST,
        NC_PLAN_CONTAINER,
} nc_plan_side;

/* ${concatStringsSep "\n" (mapAttrsToList renderExtraVeth cfg.extraVeths)}
 * for `container` (may be NULL: none), names and values pasted into the
 * script: each veth on the host side into its hostBridge when one is set;
 * otherwise the link up, this side's addresses added and routes to the
 * other side's. */
int nc_plan_extra_veths(nc_plan *plan, const nc_container *container, const nc_env *env, nc_plan_side side);

/* What builds the plan of one script (host-setup.c, init-setup.c). */
typedef int (*nc_plan_builder)(nc_plan *plan, const nc_container *container, const nc_env *env);

/* Builds a plan with `build` and runs it; `stage` names it in messages.
 * `nl` may be NULL: a socket is opened only when the plan has a step. */
int nc_plan_build_and_run(nc_netlink *nl, nc_plan_builder build, const char *stage, const nc_container *container,
                          const nc_env *env, nc_error *error);

#endif
