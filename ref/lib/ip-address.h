/* Addresses as iproute2 reads them (lib/utils.c get_prefix/get_addr), so
 * that `ip addr add $LOCAL_ADDRESS dev eth0` and the library agree on what
 * a value means: the family comes from the literal, a missing prefix is the
 * full length, "default" is the zero prefix. */
#ifndef NC_IP_ADDRESS_H
#define NC_IP_ADDRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct nc_ip_prefix {
        int family;          /* AF_INET, AF_INET6, or AF_UNSPEC for "default" */
        uint8_t bytes[16];
        unsigned byte_len;   /* 4, 16, or 0 for "default" without a family */
        unsigned prefix_len; /* 0..32 / 0..128 */
        bool prefix_given;
} nc_ip_prefix;

/* get_prefix(): "A", "A/LEN", "A/MASK", "default"; `family` AF_UNSPEC
 * infers it (plain `ip`), AF_INET6 requires IPv6 (`ip -6`). -EINVAL when
 * iproute2 would print "... prefix is expected rather than ...". */
int nc_ip_parse_prefix(const char *text, int family, nc_ip_prefix *ret);
/* get_addr(): an address without a prefix (a gateway). */
int nc_ip_parse_address(const char *text, int family, nc_ip_prefix *ret);

/* Whether `ip route add TEXT ...` takes TEXT as a route type rather than
 * the destination (iproute_modify(): a word that does not start with a
 * digit and that rtnl_rtntype_a2n() reads: "local", "throw", a prefix of
 * "anycast", "unicast", ..., or a number up to 255 such as "+10"). The
 * next word ("dev") is then read as the destination, and refused. */
bool nc_ip_is_route_type(const char *text);

/* "inet", "inet6" or "any" as iproute2 names a family in its messages. */
const char *nc_ip_family_name(int family);

#endif
