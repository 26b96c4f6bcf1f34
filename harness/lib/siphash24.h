/* SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012), and the interface-name shortening systemd-nspawn builds on it. */
#ifndef NC_NETNS_SIPHASH24_H
#define NC_NETNS_SIPHASH24_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The 64-bit SipHash-2-4 of `data` under a 16-byte key. */
uint64_t siphash24(const void *data, size_t len, const uint8_t key[16]);

/* IFNAMSIZ: a name needs at most 15 bytes and a NUL. */
#define NETNS_IFNAMSIZ 16

/* systemd v252 shorten_ifname() with the NAMING_NSPAWN_LONG_HASH scheme
 * (the default since v245): a name of 16 bytes or more becomes its first 11
 * bytes and 4 urlsafe-base64 characters of siphash24(name, SHORTEN_IFNAME_HASH_KEY).
 * Writes the name to be used to ret_name; returns true when it was shortened. */
bool nspawn_shorten_ifname(const char *name, char ret_name[NETNS_IFNAMSIZ]);

#endif
