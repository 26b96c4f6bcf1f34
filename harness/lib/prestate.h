/* The host's network before the first container starts: the bridges and
 * interfaces the fixture's containers expect to find. */
#ifndef NC_NETNS_PRESTATE_H
#define NC_NETNS_PRESTATE_H

#include "fixture.h"
#include "nspawn-sim.h"

/* Creates the pre-state in the calling process's network namespace.
 *
 * From the fixture's "host": {"bridges": {"br0": ["192.168.0.1/24", ...]},
 * "interfaces": ["eth1"]} when it has one; otherwise derived from the
 * containers: a bridge (up, no address) for every hostBridge of a container
 * or an extraVeth, and a stand-in for every name in interfaces and
 * macvlans. Values are split on whitespace as the start script splits them,
 * and words that are not interface names are left out. The names the
 * units' nspawn options (`networks`, n of them) expect are added: an
 * imperative container's HOST_BRIDGE is only there.
 *
 * A stand-in is a veth pair IF / IF-p with IF up: a device that can be
 * moved into a container and carry a macvlan, like a NIC without a cable.
 * On error, returns -errno with a message in *ret_error. */
int prestate_apply(const fixture *f, const nspawn_network *networks, size_t n, char **ret_error);

#endif
