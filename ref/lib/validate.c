#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "ip-address.h"
#include "time-span.h"
#include "validate.h"

static const char *too_long(size_t len, size_t max, char *buf, size_t size) {
        snprintf(buf, size, "is longer than %zu bytes (%zu)", max, len);
        return buf;
}

/* systemd's hostname_is_valid(), which machined applies to machine names:
 * letters, digits and '-' in dot-separated labels, no label starting or
 * ending with '-', no empty label, at most 64 bytes. No '_'. */
const char *nc_check_machine_name(const char *value, char *buf, size_t size) {
        bool dot = true, hyphen = true;
        size_t len = strlen(value);

        if (len > NC_MAX_MACHINE_NAME)
                return too_long(len, NC_MAX_MACHINE_NAME, buf, size);
        for (const char *p = value; *p; p++) {
                if (*p == '.') {
                        if (dot || hyphen)
                                return "is not a valid machine name (an empty label, or a label ending in '-')";
                        dot = true;
                        hyphen = false;
                } else if (*p == '-') {
                        if (dot)
                                return "is not a valid machine name (a label starting with '-')";
                        hyphen = true;
                } else if (isascii((unsigned char) *p) && isalnum((unsigned char) *p)) {
                        dot = hyphen = false;
                } else {
                        return "is not a valid machine name (only letters, digits, '-' and '.'; "
                               "systemd-machined refuses '_' and everything else)";
                }
        }
        if (dot || hyphen)
                return "is not a valid machine name (it is empty or ends in '.' or '-')";
        return NULL;
}

/* The kernel's dev_valid_name() plus iproute2's: at most 15 bytes, not
 * "." or "..", no '/', ':' or whitespace. */
const char *nc_check_ifname(const char *value, char *buf, size_t size) {
        size_t len = strlen(value);

        if (len == 0)
                return "is not an interface name (it is empty)";
        if (len > NC_MAX_IFNAME)
                return too_long(len, NC_MAX_IFNAME, buf, size);
        if (strcmp(value, ".") == 0 || strcmp(value, "..") == 0 || strpbrk(value, "/: \t\n\r\v\f"))
                return "is not an interface name (no '/', ':' or whitespace, not '.' or '..')";
        return NULL;
}

/* A decimal number as a person writes it: digits, no leading 0 (but "0"). */
static bool is_plain_decimal(const char *text, size_t len) {
        if (len == 0 || len > 10 || (len > 1 && text[0] == '0'))
                return false;
        for (size_t i = 0; i < len; i++)
                if (!isdigit((unsigned char) text[i]))
                        return false;
        return true;
}

/* Four plain decimal parts split by '.': what a reader takes an IPv4
 * address (or a dotted netmask) for. */
static bool is_plain_dotted_quad(const char *text) {
        for (int part = 0; part < 4; part++) {
                size_t n = strcspn(text, ".");
                if (!is_plain_decimal(text, n) || (part < 3) != (text[n] == '.'))
                        return false;
                text += n + 1;
        }
        return true;
}

/* An address with an optional /prefix, as iproute2 reads it for `ip addr
 * add` and `ip route add` (get_prefix(), ip-address.c): refused when ip
 * refuses it, and when ip reads it as another address than a reader would
 * (a leading 0 is octal, 0x hex), or another prefix length. */
static const char *check_address(const char *value, int family, char *buf, size_t size) {
        const char *not_address = family == AF_INET6 ? "is not an IPv6 address" : "is not an IPv4 or IPv6 address";
        const char *slash = strchr(value, '/');
        char address[64], shown[INET6_ADDRSTRLEN];
        size_t len = slash ? (size_t) (slash - value) : strlen(value);
        nc_ip_prefix p;
        unsigned max;

        if (len >= sizeof address)
                return not_address;
        memcpy(address, value, len);
        address[len] = '\0';
        /* "default", "all" and "any" are prefixes to ip, not addresses. */
        if (nc_ip_parse_address(address, family, &p) < 0 || p.byte_len == 0)
                return not_address;
        /* A sign too: ip reads +10.0.0.1 as 10.0.0.1, but the module also
         * writes localAddress into networking.extraHosts
         *   ${head (splitString "/" cfg.localAddress)} ${name}.containers
         * whose line glibc (inet_pton) ignores, as it ignores any spelling
         * but the plain one. */
        if (p.family == AF_INET && !is_plain_dotted_quad(address)) {
                size_t dots = 0;
                for (const char *c = address; *c; c++)
                        dots += *c == '.';
                inet_ntop(AF_INET, p.bytes, shown, sizeof shown);
                /* "10.0.0": ip fills the missing parts with 0 (10.0.0.0) */
                if (dots != 3) {
                        snprintf(buf, size, "is read by iproute2 as %s (it fills the parts that are missing with 0); "
                                 "write %s", shown, shown);
                        return buf;
                }
                if (strchr(address, '+'))
                        snprintf(buf, size, "is read by iproute2 as %s (strtoul drops a sign), not by inet_pton, as "
                                 "glibc reads the hosts file (localAddress); write %s", shown, shown);
                else
                        snprintf(buf, size, "is read by iproute2 as %s (it reads each part as strtoul does: a leading 0 "
                                 "is octal, 0x hex); write %s", shown, shown);
                return buf;
        }
        if (!slash)
                return NULL;
        max = p.family == AF_INET ? 32 : 128;
        if (nc_ip_parse_prefix(value, family, &p) < 0) {
                const char *after = slash + 1;
                if (strchr(after, '.') && is_plain_dotted_quad(after))
                        return "has a netmask that is not contiguous (ones, then zeros)";
                if (!isdigit((unsigned char) after[after[0] == '+']))
                        return "has a prefix length that is not a number";
                snprintf(buf, size, "has a prefix length out of range (0-%u for %s)", max,
                         p.family == AF_INET ? "IPv4" : "IPv6");
                return buf;
        }
        /* A sign before the length is read as before the address: /+24 is /24. */
        const char *length = slash + 1 + (slash[1] == '+');
        if (!is_plain_decimal(length, strlen(length)) && !is_plain_dotted_quad(slash + 1)) {
                snprintf(buf, size, "has a prefix length that iproute2 reads as %u (it reads it as strtoul does: a leading 0 is octal, 0x hex); "
                         "write /%u", p.prefix_len, p.prefix_len);
                return buf;
        }
        return NULL;
}

const char *nc_check_address(const char *value, char *buf, size_t size) {
        return check_address(value, AF_UNSPEC, buf, size);
}

const char *nc_check_address6(const char *value, char *buf, size_t size) {
        return check_address(value, AF_INET6, buf, size);
}

const char *nc_check_protocol(const char *value, char *buf, size_t size) {
        (void) buf, (void) size;
        /* nspawn's --port= takes "tcp:" or "udp:" */
        return strcmp(value, "tcp") == 0 || strcmp(value, "udp") == 0 ? NULL : "is not a protocol (tcp or udp)";
}

const char *nc_check_capability(const char *value, char *buf, size_t size) {
        cap_value_t cap;
        (void) buf, (void) size;
        /* "all" is nspawn's own keyword for every capability. */
        if (strcmp(value, "all") == 0 || cap_from_name(value, &cap) == 0)
                return NULL;
        return "is not a capability (libcap's cap_from_name does not know it)";
}

const char *nc_check_modifier(const char *value, char *buf, size_t size) {
        (void) buf, (void) size;
        return value[strspn(value, "rwm")] ? "is not a device access modifier (only r, w and m)" : NULL;
}

/* DeviceAllow=: a /dev path, or a device group "char-NAME"/"block-NAME". */
const char *nc_check_device_node(const char *value, char *buf, size_t size) {
        size_t len = strlen(value);
        if (len > NC_MAX_PATH)
                return too_long(len, NC_MAX_PATH, buf, size);
        if (value[0] == '/' || (strncmp(value, "char-", 5) == 0 && value[5]) ||
            (strncmp(value, "block-", 6) == 0 && value[6]))
                return NULL;
        return "is not a device node (an absolute path, or char-GROUP / block-GROUP)";
}

const char *nc_check_absolute_path(const char *value, char *buf, size_t size) {
        size_t len = strlen(value);
        if (len > NC_MAX_PATH)
                return too_long(len, NC_MAX_PATH, buf, size);
        return value[0] == '/' ? NULL : "is not an absolute path";
}

/* --tmpfs=PATH[:OPTIONS]: the path before the first ':' must be absolute. */
const char *nc_check_tmpfs(const char *value, char *buf, size_t size) {
        size_t len = strlen(value);
        if (len > NC_MAX_PATH)
                return too_long(len, NC_MAX_PATH, buf, size);
        return value[0] == '/' ? NULL : "is not a tmpfs mount (an absolute path, then :OPTIONS if any)";
}

/* TimeoutStartSec=: what systemd's parse_sec() reads (time-span.c). */
const char *nc_check_time_span(const char *value, char *buf, size_t size) {
        size_t len = strlen(value);

        if (len > NC_MAX_VALUE)
                return too_long(len, NC_MAX_VALUE, buf, size);
        if (value[strspn(value, " \t\n\r")] == '\0')
                return "is not a time span (it is empty)";
        switch (nc_parse_time_span(value, NULL)) {
        case 0:
                return NULL;
        case -ERANGE:
                return "is not a time span that systemd can hold (negative, or more than 2^64-1 microseconds)";
        default:
                return "is not a time span (e.g. 90, 1min, 5min 30s, infinity)";
        }
}

const char *nc_check_flag(const char *value, char *buf, size_t size) {
        size_t len = strlen(value);
        if (len > NC_MAX_VALUE)
                return too_long(len, NC_MAX_VALUE, buf, size);
        return NULL;
}

const char *nc_check_store_path(const char *value, char *buf, size_t size) {
        return nc_check_absolute_path(value, buf, size);
}

bool nc_port_is_valid(long long port) {
        return port >= 1 && port <= 65535;
}
