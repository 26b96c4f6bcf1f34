/* Time spans as systemd 252 reads TimeoutStartSec= (parse_sec() in
 * src/basic/time-util.c), so that strict mode refuses exactly what systemd
 * would refuse when it loads the unit. */
#ifndef NC_TIME_SPAN_H
#define NC_TIME_SPAN_H

#include <stdint.h>

/* systemd's USEC_INFINITY: "infinity", and the bound every sum stays below. */
#define NC_USEC_INFINITY UINT64_MAX

/* Reads `text` as parse_sec() does: "infinity", or one or more numbers
 * (optionally with a fraction) each followed by an optional unit, blanks
 * allowed around them; a bare number is seconds. On success returns 0 and
 * writes the microseconds to *ret_usec (NULL: not wanted). On error returns
 * -EINVAL (not a time span) or -ERANGE (negative, or too large for 64 bits
 * of microseconds) and leaves *ret_usec alone. */
int nc_parse_time_span(const char *text, uint64_t *ret_usec);

#endif
