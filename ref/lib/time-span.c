#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "time-span.h"

#define USEC_PER_SEC UINT64_C(1000000)

/* systemd's WHITESPACE, which parse_time() skips between the parts. */
#define BLANKS " \t\n\r"

/* The units parse_sec() knows. systemd tries them in this order and takes
 * the first that the text starts with, with no check of what follows: "5secs"
 * is "5sec" then a stray "s", which is refused as a number. */
#define SEC USEC_PER_SEC
#define MIN (60 * SEC)
#define MONTH (2629800 * SEC) /* 30.44 days */
#define YEAR (31557600 * SEC) /* 365.25 days */
static const struct {
        const char *suffix;
        uint64_t usec;
} units[] = {
        { "seconds", SEC }, { "second", SEC }, { "sec", SEC }, { "s", SEC },
        { "minutes", MIN }, { "minute", MIN }, { "min", MIN },
        { "months", MONTH }, { "month", MONTH }, { "M", MONTH },
        { "msec", 1000 }, { "ms", 1000 }, { "m", MIN },
        { "hours", 60 * MIN }, { "hour", 60 * MIN }, { "hr", 60 * MIN }, { "h", 60 * MIN },
        { "days", 1440 * MIN }, { "day", 1440 * MIN }, { "d", 1440 * MIN },
        { "weeks", 10080 * MIN }, { "week", 10080 * MIN }, { "w", 10080 * MIN },
        { "years", YEAR }, { "year", YEAR }, { "y", YEAR },
        { "usec", 1 }, { "us", 1 },
        { "\xce\xbcs", 1 }, /* U+03BC GREEK SMALL LETTER MU */
        { "\xc2\xb5s", 1 }, /* U+00B5 MICRO SIGN */
};

/* The unit at `p`, or NULL; *ret_usec is its length in microseconds. */
static const char *skip_unit(const char *p, uint64_t *ret_usec) {
        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                size_t n = strlen(units[i].suffix);
                if (strncmp(p, units[i].suffix, n) == 0) {
                        *ret_usec = units[i].usec;
                        return p + n;
                }
        }
        return NULL;
}

/* *sum += k, unless the sum would reach infinity. */
static int add(uint64_t *sum, uint64_t k) {
        if (k >= NC_USEC_INFINITY - *sum)
                return -ERANGE;
        *sum += k;
        return 0;
}

int nc_parse_time_span(const char *text, uint64_t *ret_usec) {
        const char *p = text + strspn(text, BLANKS);
        uint64_t sum = 0;
        bool any = false;

        if (strncmp(p, "infinity", 8) == 0) {
                if (p[8 + strspn(p + 8, BLANKS)] != '\0')
                        return -EINVAL;
                if (ret_usec)
                        *ret_usec = NC_USEC_INFINITY;
                return 0;
        }
        for (;;) {
                uint64_t multiplier = USEC_PER_SEC;
                const char *unit_end, *fraction = NULL;
                long long whole;
                char *end;
                size_t blanks;
                int r;

                p += strspn(p, BLANKS);
                if (*p == '\0')
                        break;
                if (*p == '-')
                        return -ERANGE; /* not even "-0" */
                /* strtoll as systemd calls it: it also takes a '+' and the
                 * blanks isspace() knows (\v, \f) before the number. */
                errno = 0;
                whole = strtoll(p, &end, 10);
                if (errno > 0)
                        return -errno;
                if (whole < 0)
                        return -ERANGE;
                if (*end == '.') {
                        fraction = end + 1;
                        p = fraction + strspn(fraction, "0123456789");
                } else if (end == p)
                        return -EINVAL;
                else
                        p = end;
                /* A unit may follow after blanks; with no blank and no unit
                 * only the end may follow ("12.34.56" is refused, "12.34 .56"
                 * and "12.34s.56" are sums). */
                blanks = strspn(p, BLANKS);
                unit_end = skip_unit(p + blanks, &multiplier);
                if (unit_end)
                        p = unit_end;
                else if (blanks == 0 && *p != '\0')
                        return -EINVAL;
                else
                        p += blanks;
                if ((uint64_t) whole >= NC_USEC_INFINITY / multiplier)
                        return -ERANGE;
                r = add(&sum, (uint64_t) whole * multiplier);
                if (r < 0)
                        return r;
                any = true;
                if (fraction) {
                        uint64_t m = multiplier / 10;
                        const char *d;
                        for (d = fraction; *d >= '0' && *d <= '9'; d++, m /= 10) {
                                r = add(&sum, (uint64_t) (*d - '0') * m);
                                if (r < 0)
                                        return r;
                        }
                        /* "3.", "3.s", "0.-0", "3. 1" */
                        if (d == fraction)
                                return -EINVAL;
                }
        }
        if (!any)
                return -EINVAL;
        if (ret_usec)
                *ret_usec = sum;
        return 0;
}
