/* nixcontainer check (nc_config_check()): the findings list and the parts
 * that fill it, one file each: check-links.c (extraVeth names),
 * check-addresses.c (addresses, subnets, host ports), check-start.c (the
 * starts run against the kernel model, net-model.c). */
#ifndef NC_CHECK_INTERNAL_H
#define NC_CHECK_INTERNAL_H

#include "config-internal.h"

/* Appends a finding with its message (printf) and returns it, or NULL
 * when out of memory. */
nc_check_finding *nc_check_add(nc_check_findings *findings, nc_check_kind kind, nc_check_severity severity,
                               const char *format, ...) __attribute__((format(printf, 4, 5)));
/* Adds NAME to the finding's containers unless it is there. Returns 0 or -ENOMEM. */
int nc_check_add_container(nc_check_finding *finding, const char *name);
/* Adds "containers.NAME.PATH" (PATH from printf) to its options, and NAME
 * to its containers. Returns 0 or -ENOMEM. */
int nc_check_add_option(nc_check_finding *finding, const char *name, const char *format, ...)
        __attribute__((format(printf, 3, 4)));

int nc_check_links(const nc_config *config, nc_check_findings *findings);
int nc_check_addresses(const nc_config *config, nc_check_findings *findings);
int nc_check_host_ports(const nc_config *config, nc_check_findings *findings);
int nc_check_start(const nc_config *config, nc_check_findings *findings);

#endif
