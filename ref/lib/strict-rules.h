/* Strict mode: refuse a value that the original would reinterpret, i.e.
 * one that would not reach systemd-nspawn or ip as the same bytes. */
#ifndef NC_STRICT_RULES_H
#define NC_STRICT_RULES_H

#include <stddef.h>

/* Returns NULL when `value` is safe under `rules` (NC_RULE_* bits), else a
 * static phrase saying why not ("contains whitespace, which the start
 * script splits into several arguments"). */
const char *nc_strict_violation(const char *value, size_t len, unsigned rules);

#endif
