/* UTF-8 as systemd checks it (src/basic/utf8.c): what an env file may hold. */
#ifndef NC_UTF8_H
#define NC_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Shortest form only, no surrogates, nothing past U+10FFFF, and none of
 * the noncharacters U+FDD0..U+FDEF and U+xxFFFE/U+xxFFFF. */
bool nc_utf8_is_valid(const char *s, size_t n);

#endif
