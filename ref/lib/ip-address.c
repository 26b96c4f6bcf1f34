#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "ip-address.h"

/* iproute2's get_addr_ipv4(): up to four dot-separated numbers, each read by
 * strtoul with base 0 (so 0x0a is 10 and 012 is 10 too); missing parts are
 * 0. strtoul also takes leading blanks and a sign: `ip addr add +10.0.0.1`
 * adds 10.0.0.1, and "-0" is 0. */
static bool parse_ipv4(const char *text, uint8_t out[4]) {
        const char *p = text;

        memset(out, 0, 4);
        for (int i = 0; i < 4; i++) {
                char *end;
                unsigned long n;
                errno = 0;
                n = strtoul(p, &end, 0);
                if (end == p || n > 255 || errno)
                        return false;
                out[i] = (uint8_t) n;
                if (*end == '\0')
                        return true;
                if (i == 3 || *end != '.')
                        return false;
                p = end + 1;
        }
        return false;
}

/* get_addr_1() */
static int parse_address(const char *text, int family, nc_ip_prefix *ret) {
        memset(ret, 0, sizeof *ret);
        if (strcmp(text, "default") == 0 || strcmp(text, "all") == 0 || strcmp(text, "any") == 0) {
                bool is_default = strcmp(text, "default") == 0;
                ret->family = family;
                /* "default" carries a zero address of the family (RTA_DST ::),
                 * "all"/"any" none. */
                ret->byte_len = !is_default ? 0 : family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
                ret->prefix_given = is_default;
                return 1; /* a keyword: prefix length 0 */
        }
        if (strchr(text, ':')) {
                if (family != AF_UNSPEC && family != AF_INET6)
                        return -EINVAL;
                if (inet_pton(AF_INET6, text, ret->bytes) <= 0)
                        return -EINVAL;
                ret->family = AF_INET6;
                ret->byte_len = 16;
                ret->prefix_len = 128;
                return 0;
        }
        if (family != AF_UNSPEC && family != AF_INET)
                return -EINVAL;
        if (!parse_ipv4(text, ret->bytes))
                return -EINVAL;
        ret->family = AF_INET;
        ret->byte_len = 4;
        ret->prefix_len = 32;
        return 0;
}

static int mask_to_bits(const uint8_t mask[4]) {
        uint32_t m = ((uint32_t) mask[0] << 24) | ((uint32_t) mask[1] << 16) | ((uint32_t) mask[2] << 8) | mask[3];
        int bits = 0;
        while (m & 0x80000000u) {
                bits++;
                m <<= 1;
        }
        return m ? -1 : bits;
}

/* get_netmask(): a number (base 0), or a dotted IPv4 netmask. */
static int parse_netmask(const char *text, unsigned *ret) {
        char *end;
        unsigned long n;
        uint8_t mask[4];
        int bits;

        errno = 0;
        n = strtoul(text, &end, 0);
        if (end != text && *end == '\0' && !errno && n <= UINT_MAX) {
                *ret = (unsigned) n;
                return 0;
        }
        if (!strchr(text, ':') && parse_ipv4(text, mask) && (bits = mask_to_bits(mask)) >= 0) {
                *ret = (unsigned) bits;
                return 0;
        }
        return -EINVAL;
}

int nc_ip_parse_prefix(const char *text, int family, nc_ip_prefix *ret) {
        const char *slash = strchr(text, '/');
        char *address = slash ? strndup(text, (size_t) (slash - text)) : strdup(text);
        nc_ip_prefix p;
        int r;

        if (!address)
                return -ENOMEM;
        r = parse_address(address, family, &p);
        free(address);
        if (r < 0)
                return r;
        if (slash) {
                unsigned max = p.family == AF_INET ? 32 : p.family == AF_INET6 ? 128 : 0, len;
                if (r == 1)
                        return -EINVAL; /* "default/8" */
                if (parse_netmask(slash + 1, &len) < 0 || len > max)
                        return -EINVAL;
                p.prefix_len = len;
                p.prefix_given = true;
        } else if (r == 1)
                p.prefix_len = 0;
        *ret = p;
        return 0;
}

int nc_ip_parse_address(const char *text, int family, nc_ip_prefix *ret) {
        nc_ip_prefix p;
        int r = parse_address(text, family, &p);
        if (r < 0)
                return r;
        *ret = p;
        return 0;
}

/* iproute2's matches(): `word` is a non-empty prefix of `name`. */
static bool abbreviates(const char *word, const char *name) {
        size_t n = strlen(word);
        return n > 0 && strncmp(word, name, n) == 0;
}

bool nc_ip_is_route_type(const char *text) {
        static const char *const exact[] = { "local", "nat", "brd", "throw" };
        static const char *const abbreviated[] = { "broadcast", "anycast",   "multicast", "prohibit",
                                                   "unreachable", "blackhole", "xresolve", "unicast" };
        char *end;
        unsigned long n;

        if (text[0] >= '0' && text[0] <= '9')
                return false;
        for (size_t i = 0; i < ELEMENTSOF(exact); i++)
                if (strcmp(text, exact[i]) == 0)
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(abbreviated); i++)
                if (abbreviates(text, abbreviated[i]))
                        return true;
        errno = 0;
        n = strtoul(text, &end, 0);
        return end != text && *end == '\0' && n <= 255;
}

const char *nc_ip_family_name(int family) {
        return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "any valid";
}
