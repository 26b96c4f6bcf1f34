/* What systemd-nspawn v252 does to the network for a given argv, done with
 * iproute2: the parts of run_container() that touch links
 * (src/nspawn/nspawn.c, src/nspawn/nspawn-network.c). */
#ifndef NC_NETNS_NSPAWN_SIM_H
#define NC_NETNS_NSPAWN_SIM_H

#include <stdbool.h>
#include <sys/types.h>

#include "fixture.h"
#include "nixcontainer.h"

typedef struct nspawn_network {
        char *machine;          /* -M */
        bool private_network;   /* --private-network, or implied by any --network-* option */
        bool veth;              /* --network-veth, -n, or implied by --network-bridge= */
        char *bridge;           /* --network-bridge= */
        nc_strv interfaces;     /* --network-interface= */
        nc_strv extra_host;     /* --network-veth-extra=HOST[:CONTAINER] ... */
        nc_strv extra_container;
        nc_strv macvlans;       /* --network-macvlan= */
        nc_strv setenv;         /* --setenv NAME=VALUE, in order (a later NAME wins) */
        char *refused;          /* an option nspawn refuses to start with, or NULL */
} nspawn_network;

/* Reads the options from an argv as the start script exec'd it (argv[0]
 * is systemd-nspawn). Parsing stops at the first non-option, as nspawn's
 * getopt ("+...") does. On error (only -ENOMEM, -EINVAL when there is no
 * -M), returns -errno. */
int nspawn_network_parse(const nc_strv *argv, nspawn_network *ret);
void nspawn_network_clear(nspawn_network *n);
/* The same from container `name`'s golden argv (golden_read_argv), which
 * goes to *ret_argv. On error returns -errno (-ENOENT: no golden argv),
 * with the reason on stderr; *ret_argv may hold what was read. */
int nspawn_network_read_golden(const fixture *f, const char *name, nc_strv *ret_argv, nspawn_network *ret);

/* Does it: in the calling process's namespace (the host) and in the
 * namespace of `container_pid` (ignored without a private network).
 * Returns 0, or -errno with *ret_failed_option set to the option that made
 * nspawn fail ("--network-interface=eth1") and *ret_error to why. */
int nspawn_sim_run(const nspawn_network *n, pid_t container_pid, char **ret_failed_option, char **ret_error);

/* The host-side veth name: "ve-" + machine, "vb-" + machine with a bridge,
 * shortened as nspawn shortens it. */
void nspawn_veth_host_name(const nspawn_network *n, char ret_name[16], char **ret_full_name);

#endif
