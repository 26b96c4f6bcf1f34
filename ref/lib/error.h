/* Error messages for nc_error: the library never prints; it fills an
 * nc_error and returns a negative errno, which the CLI reports once. */
#ifndef NC_ERROR_H
#define NC_ERROR_H

#include "nixcontainer.h"

/* Formats the message into `error` (which may be NULL) and returns `r`,
 * so a failure reads `return nc_error_set(error, -EINVAL, "...", ...);`. */
int nc_error_set(nc_error *error, int r, const char *format, ...)
        __attribute__((format(printf, 3, 4)));

#endif
