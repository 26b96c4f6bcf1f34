/* A network namespace as normalised text, to compare an implementation's
 * result with the original's. */
#ifndef NC_NETNS_DUMP_H
#define NC_NETNS_DUMP_H

#include <stdbool.h>
#include <stddef.h>

/* One namespace, from `ip -j -d link show`, `ip -j addr show`,
 * `ip -4 -j route show table all` and `ip -6 -j route show table all`:
 *
 *   link NAME up|down kind=KIND [master=BRIDGE] [altnames=A,B]
 *   addr DEV inet|inet6 ADDRESS/PREFIX scope=SCOPE [brd=BROADCAST] [peer=PEER]
 *   route inet|inet6 table=TABLE type=TYPE DST [via=GATEWAY] dev=DEV scope=SCOPE proto=PROTO metric=N
 *         [src=PREFSRC] [pref=PREF] [flags=F,G]
 *
 * (a route is one line), each group sorted. Defaults that ip leaves out are
 * written out (table=main, type=unicast, scope=global, proto=boot,
 * metric=0). Left out as not deterministic or not the implementation's
 * doing: MAC addresses, ifindexes, operstate and carrier, address flags
 * (tentative) and lifetimes. Route flags such as "linkdown" stay: the
 * kernel sets them from carrier events it delivers asynchronously
 * (linkwatch), so dump_settled() waits for those to land.
 *
 * *ret_signature holds the text plus the carrier and address states left
 * out of it, for dump_settled(); *ret_in_transition is set while a link's
 * operstate has not caught up with its carrier or an address on a link
 * with carrier is still tentative. */
int dump_netns(int netns_fd, char **ret_text, char **ret_signature, bool *ret_in_transition, char **ret_error);

/* Dumps the `n` namespaces until none is in transition and three samples
 * in a row agree (at most about 10 s), and returns the texts of the last
 * (ret_texts has room for n). *ret_samples says how many samples it took,
 * *ret_settled whether it settled. */
int dump_settled(const int *netns_fds, size_t n, char **ret_texts, unsigned *ret_samples, bool *ret_settled,
                 char **ret_error);

#endif
