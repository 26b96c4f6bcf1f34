/* A JSON value printed as jansson's json_dumps(value, JSON_ENCODE_ANY |
 * JSON_COMPACT) printed it, for the loader's messages (json-dump.c). */
#ifndef NC_JSON_DUMP_H
#define NC_JSON_DUMP_H

#include <stddef.h>

#include "json.h"

/* Writes the compact serialization of `value` into `out` as snprintf()
 * does (cut to size - 1 bytes and a NUL) and returns its whole length. */
size_t nc_json_dump(const nc_json *value, char *out, size_t size);

#endif
