/* fuzz-ip-address: the address parser (ref/lib/ip-address.c, through
 * nixcontainer-test.h's nc_test_ip_parse()), as iproute2's
 * get_prefix()/get_addr() read a value.
 *
 * The input is SELECT TEXT: the first byte picks the call (bit 0:
 * a prefix, else an address) and the family asked
 * for (bits 1-2: AF_UNSPEC as plain `ip`, AF_INET, AF_INET6 as `ip -6`);
 * the rest, up to a NUL, is the text.
 *
 * Checked besides crashes and leaks: a failure is -EINVAL or -ENOMEM; a
 * success has a family that was asked for (or none), the family's byte
 * length or none ("default", "any", "all": /0), a prefix length within it;
 * and an address's canonical
 * spelling (inet_ntop, "/LEN" for a prefix) parses back to the same value. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "nixcontainer-test.h"

static void check_round_trip(bool prefix, const char *text, int family, const nc_test_ip *p) {
        char canonical[INET6_ADDRSTRLEN + 8];
        nc_test_ip again;
        size_t len;
        int r;

        if (!inet_ntop(p->family, p->bytes, canonical, INET6_ADDRSTRLEN))
                fuzz_fail("inet_ntop refused what \"%s\" parsed to", text);
        len = strlen(canonical);
        if (prefix)
                snprintf(canonical + len, sizeof canonical - len, "/%u", p->prefix_len);
        r = nc_test_ip_parse(canonical, family, prefix, &again);
        if (r < 0)
                fuzz_fail("\"%s\" parsed, but its canonical spelling \"%s\" does not (%d)", text, canonical, r);
        if (again.family != p->family || again.byte_len != p->byte_len || memcmp(again.bytes, p->bytes, p->byte_len) != 0 ||
            (prefix && again.prefix_len != p->prefix_len))
                fuzz_fail("\"%s\" and its canonical spelling \"%s\" differ", text, canonical);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const int families[] = { AF_UNSPEC, AF_INET, AF_INET6, AF_UNSPEC };
        nc_test_ip p;
        bool prefix;
        int family, r;
        char *text;

        if (size < 1 || size > FUZZ_MAX_INPUT)
                return 0;
        prefix = data[0] & 1;
        family = families[(data[0] >> 1) & 3];
        text = strndup((const char *) data + 1, size - 1);
        if (!text)
                fuzz_fail("out of memory");
        memset(&p, 0xa5, sizeof p);
        r = nc_test_ip_parse(text, family, prefix, &p);
        if (r < 0) {
                if (r != -EINVAL && r != -ENOMEM)
                        fuzz_fail("\"%s\": %d is neither -EINVAL nor -ENOMEM", text, r);
                free(text);
                return 0;
        }
        if (p.family == AF_UNSPEC || p.byte_len == 0) {
                /* "default", "any", "all": no bytes (the family asked for, if any) */
                if (p.byte_len != 0 || p.prefix_len != 0 || (p.family != AF_UNSPEC && p.family != family))
                        fuzz_fail("\"%s\": family %d with %u bytes, /%u", text, p.family, p.byte_len, p.prefix_len);
        } else if (family != AF_UNSPEC && p.family != family)
                fuzz_fail("\"%s\": family %d asked for, %d given", text, family, p.family);
        else if ((p.family == AF_INET && p.byte_len != 4) || (p.family == AF_INET6 && p.byte_len != 16) ||
                 (p.family != AF_INET && p.family != AF_INET6))
                fuzz_fail("\"%s\": family %d with %u bytes", text, p.family, p.byte_len);
        else if (p.prefix_len > 8 * p.byte_len)
                fuzz_fail("\"%s\": prefix length %u over %u", text, p.prefix_len, 8 * p.byte_len);
        else
                check_round_trip(prefix, text, family, &p);
        free(text);
        return 0;
}
