/* The .net file: what the namespace and live tiers write for each
 * container, and what golden/<fixture>/NAME.net holds (the namespace tier
 * with the original makes them):
 *
 *   # host
 *   <dump of the host namespace (dump.h)>
 *   # container NAME                 (with a private network)
 *   <dump of the container's namespace>
 *   # steps
 *   prestart: ok
 *   nspawn: ok | failed at: OPTION
 *   init-setup: ok | failed at: STEP | failed: WHY | not run
 *   host-setup: ... */
#ifndef HARNESS_NET_FILE_H
#define HARNESS_NET_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "nixcontainer.h"

typedef struct net_file_container {
        const char *name;
        int netns_fd;         /* its network namespace; -1: none of its own */
        const nc_strv *steps; /* "STAGE: OUTCOME" */
} net_file_container;

/* Dumps the host (the caller's namespace) and the containers' namespaces
 * once they settle (dump_settled) and writes outdir/NAME.net for each of
 * the `n` containers. `keep_container_line`, when given, says which lines of
 * a container's dump are written. Sets *ret_settled. Returns 0, or -errno
 * (the reason on stderr, after `id`). */
int net_files_write(const char *id, const char *outdir, const net_file_container *containers, size_t n,
                    bool (*keep_container_line)(const char *line, size_t len), bool *ret_settled);

/* A .net file in its sections; a section that is not there is NULL. */
typedef struct net_sections {
        char *host;
        char *container;
        char *steps;
} net_sections;

void net_sections_parse(const char *text, net_sections *ret);
void net_sections_free(net_sections *s);

#endif
