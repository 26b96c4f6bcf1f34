#include <stdarg.h>
#include <stdio.h>

#include "error.h"

int nc_error_set(nc_error *error, int r, const char *format, ...) {
        va_list ap;

        if (!error)
                return r;
        va_start(ap, format);
        vsnprintf(error->message, sizeof error->message, format, ap);
        va_end(ap);
        return r;
}
