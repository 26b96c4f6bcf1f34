/* A network script as data: the `ip` commands the module's script would
 * run, in order, each kept with its iproute2 text for messages. Building a
 * plan touches nothing; running it stops at the first failing step, as the
 * script does under `bash -e`. */
#ifndef NC_NET_PLAN_H
#define NC_NET_PLAN_H

#include <stddef.h>

#include "nixcontainer.h"

typedef enum nc_step_kind {
        NC_STEP_LINK_UP,            /* ip link set dev D up */
        NC_STEP_LINK_RENAME,        /* ip link set D name V */
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

#endif
