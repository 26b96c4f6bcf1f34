/* Strict mode's value checks: each option's values must mean what the
 * option says (an address, a port, an interface name, ...), so that bad
 * input is refused at load time with the option named, rather than by a
 * failing `ip` or nspawn later. */
#ifndef NC_VALIDATE_H
#define NC_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* A check returns NULL when `value` is fine, else a phrase to follow the
 * quoted value ("is not an IPv4 or IPv6 address"), built in `buf`. */
typedef const char *(*nc_validator)(const char *value, char *buf, size_t size);

/* Longest strings strict mode accepts, per kind. */
#define NC_MAX_MACHINE_NAME 64   /* HOST_NAME_MAX, as machined checks */
#define NC_MAX_IFNAME 15         /* IFNAMSIZ - 1 */
#define NC_MAX_PATH 4096         /* PATH_MAX */
#define NC_MAX_VALUE 4096        /* any other string */

const char *nc_check_machine_name(const char *value, char *buf, size_t size);
const char *nc_check_ifname(const char *value, char *buf, size_t size);
const char *nc_check_address(const char *value, char *buf, size_t size);  /* IPv4 or IPv6 [/prefix] */
const char *nc_check_address6(const char *value, char *buf, size_t size); /* IPv6 [/prefix] */
const char *nc_check_protocol(const char *value, char *buf, size_t size);
const char *nc_check_capability(const char *value, char *buf, size_t size);
const char *nc_check_modifier(const char *value, char *buf, size_t size);
const char *nc_check_device_node(const char *value, char *buf, size_t size);
const char *nc_check_absolute_path(const char *value, char *buf, size_t size);
const char *nc_check_tmpfs(const char *value, char *buf, size_t size);
const char *nc_check_time_span(const char *value, char *buf, size_t size);
const char *nc_check_flag(const char *value, char *buf, size_t size);
const char *nc_check_store_path(const char *value, char *buf, size_t size);

/* Ports: 1-65535. */
bool nc_port_is_valid(long long port);

#endif
