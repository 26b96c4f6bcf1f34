/* TimeoutStartSec= as systemd reads it: nc_parse_time_span() against
 * `systemd-analyze timespan` (systemd 252, Debian 12) as the oracle, on a
 * generated corpus of spellings. Both must accept and refuse the same
 * values, and agree on the microseconds of each value they accept. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "time-span.h"
#include "unit-helpers.h"
#include "unit-tests.h"
#include "validate.h"

/* Runs `systemd-analyze timespan -- TEXT...` on corpus->items[from..]:
 * it prints a block with a "μs:" line for each value it accepts, and stops
 * at the first it refuses. Writes the values accepted in a row to
 * ret_usec[0..] and returns how many, with *ret_refused set when the item
 * after them was refused; -1 when systemd-analyze cannot be run. One call
 * per refusal instead of one per value: each call costs about 20 ms. */
static int oracle(const nc_strv *corpus, size_t from, uint64_t *ret_usec, bool *ret_refused) {
        enum { BATCH = 256 };
        const char *argv[BATCH + 4] = { "systemd-analyze", "timespan", "--" };
        _cleanup_free_ char *out = NULL;
        size_t n_args = 3;
        int status, accepted = 0;

        for (size_t i = from; i < corpus->n && n_args < BATCH + 3; i++)
                argv[n_args++] = corpus->items[i];
        argv[n_args] = NULL;
        status = run_tool(argv, &out);
        if (status < 0)
                return -1;
        /* "      μs: 300000000" */
        for (const char *line = strstr(out, "\xce\xbcs: "); line; line = strstr(line + 1, "\xce\xbcs: "))
                ret_usec[accepted++] = strtoull(line + strlen("\xce\xbcs: "), NULL, 10);
        *ret_refused = status != 0;
        return accepted;
}

/* Numbers, blanks and units combined: each part of parse_time()'s grammar
 * and its edges (fractions, signs, overflow, units that are prefixes of
 * others, words that are not units). */
static const char *const numbers[] = {
        /* read by systemd, the first N_READ_NUMBERS */
        "0", "5", "90", "1.5", ".5", "+5", "0.000000001", "007", "9223372036854775807", "18446744073709",
        "584542",
        /* refused (with most units) */
        "5.", "1.2.3", "-0", "-5", "99999999999999999999", "", ".", "1e3", "0x10", "584543",
};
#define N_READ_NUMBERS 11
static const char *const blanks[] = { "", " ", "\t", "  " };
static const char *const suffixes[] = {
        "", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "m", "M", "mo", "month", "months",
        "ms", "msec", "us", "usec", "\xc2\xb5s", "\xce\xbcs", "h", "hr", "hours", "d", "day", "w", "weeks", "y",
        "years", "x", "s5", "s.5", ".5", " 5", "min 30s", "infinity", "ns", "S",
};
static const char *const whole[] = {
        "infinity", " infinity ", "infinity s", "infinityx", "Infinity", "", " ", "\v5", "5\v", "\f5",
        "+-5", "+ 5", "5 +3", "1s2", "12.34s.56", "12.34 .56", "12.34.56", "5min30", "5min 30s", "3.+1", "3. 1",
        "0.-0", "- 5", "5 -", "1 2 3", "1,5", "5 s s",
};

static int push(nc_strv *corpus, const char *a, const char *b, const char *c) {
        char text[128];
        snprintf(text, sizeof text, "%s%s%s", a, b, c);
        return nc_strv_push(corpus, text);
}

static void test_agrees_with_systemd_analyze(void) {
        const char *seed_text = getenv("NC_TEST_SEED");
        unsigned seed = seed_text ? (unsigned) strtoul(seed_text, NULL, 10)
                                  : (unsigned) time(NULL) ^ (unsigned) getpid();
        _cleanup_(nc_strv_clear) nc_strv corpus = { 0 };
        uint64_t theirs[256];
        size_t differ = 0;

        printf("\n  time span corpus: seed %u (NC_TEST_SEED=%u replays it)\n", seed, seed);
        for (size_t i = 0; i < ELEMENTSOF(whole); i++)
                CU_ASSERT_EQUAL_FATAL(nc_strv_push(&corpus, whole[i]), 0);
        /* Every unit after each number systemd reads, glued and after a
         * blank; each number it refuses with a few units. */
        for (size_t n = 0; n < ELEMENTSOF(numbers); n++)
                for (size_t s = 0; s < ELEMENTSOF(suffixes); s++)
                        for (size_t b = 0; b < ELEMENTSOF(blanks); b++)
                                if ((n < N_READ_NUMBERS && (b == 0 || (b == 1 && s % 2 == 0))) || (s % 8 == 0 && b == 0))
                                        CU_ASSERT_EQUAL_FATAL(push(&corpus, numbers[n], blanks[b], suffixes[s]), 0);
        /* Random sums of two parts. */
        srand(seed);
        for (int i = 0; i < 40; i++) {
                char first[64];
                snprintf(first, sizeof first, "%s%s%s", numbers[(size_t) rand() % ELEMENTSOF(numbers)],
                         blanks[(size_t) rand() % ELEMENTSOF(blanks)], suffixes[(size_t) rand() % ELEMENTSOF(suffixes)]);
                CU_ASSERT_EQUAL_FATAL(push(&corpus, first, blanks[(size_t) rand() % ELEMENTSOF(blanks)],
                                           numbers[(size_t) rand() % N_READ_NUMBERS]), 0);
        }
        for (size_t from = 0; from < corpus.n;) {
                bool refused = false;
                int accepted = oracle(&corpus, from, theirs, &refused);
                if (accepted < 0)
                        CU_FAIL_FATAL("systemd-analyze (package systemd) is needed as the oracle");
                for (size_t i = 0; i < (size_t) accepted + refused && from + i < corpus.n; i++) {
                        const char *text = corpus.items[from + i];
                        uint64_t ours = 0;
                        int r = nc_parse_time_span(text, &ours);
                        bool agree = i < (size_t) accepted ? r == 0 && ours == theirs[i] : r < 0;
                        if (!agree && differ++ < 20)
                                fprintf(stderr, "\n  \"%s\": systemd-analyze %s, the library %s %" PRIu64, text,
                                        i < (size_t) accepted ? "accepts" : "refuses", r == 0 ? "accepts" : "refuses",
                                        ours);
                }
                from += (size_t) accepted + (refused ? 1 : 0);
                if (!accepted && !refused)
                        break;
        }
        CU_ASSERT_EQUAL(differ, 0);
}

/* The three spellings, which systemd refuses. */
static void test_refused_spellings(void) {
        char buf[160];

        CU_ASSERT_PTR_NOT_NULL(nc_check_time_span("5.s", buf, sizeof buf));
        CU_ASSERT_PTR_NOT_NULL(nc_check_time_span("1.2.3", buf, sizeof buf));
        CU_ASSERT_PTR_NOT_NULL(nc_check_time_span("99999999999999999999s", buf, sizeof buf));
        CU_ASSERT_PTR_NOT_NULL(nc_check_time_span("5secs", buf, sizeof buf));
        CU_ASSERT_PTR_NULL(nc_check_time_span("12.34s.56", buf, sizeof buf));
}

static void test_values(void) {
        uint64_t usec;

        CU_ASSERT_EQUAL(nc_parse_time_span("1min 30s", &usec), 0);
        CU_ASSERT_EQUAL(usec, UINT64_C(90000000));
        CU_ASSERT_EQUAL(nc_parse_time_span("1.5", &usec), 0);
        CU_ASSERT_EQUAL(usec, UINT64_C(1500000));
        CU_ASSERT_EQUAL(nc_parse_time_span("infinity", &usec), 0);
        CU_ASSERT_EQUAL(usec, NC_USEC_INFINITY);
        CU_ASSERT_EQUAL(nc_parse_time_span("-0", &usec), -ERANGE);
        CU_ASSERT_EQUAL(nc_parse_time_span("5.s", &usec), -EINVAL);
}

void nc_test_register_time_span(void) {
        static const suite_test tests[] = {
                { "the microseconds of a few spellings", test_values },
                { "5.s, 1.2.3 and 20 nines refused", test_refused_spellings },
                { "a generated corpus: as systemd-analyze timespan reads it", test_agrees_with_systemd_analyze },
        };

        suite_add("time spans", tests, ELEMENTSOF(tests));
}
