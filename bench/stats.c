/* CPU time, samples, medians, and the table. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "array.h"
#include "bench.h"

double bench_cpu_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return (double) ts.tv_sec * 1e6 + (double) ts.tv_nsec / 1e3;
}

int samples_add(bench_samples *s, double value) {
        double *v = array_grow(s->v, &s->capacity, s->n + 1, sizeof *v);

        if (!v)
                return -ENOMEM;
        s->v = v;
        v[s->n++] = value;
        return 0;
}

static int compare_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

static double median_of(const double *values, size_t n) {
        double *copy, m;

        if (n == 0 || !(copy = malloc(n * sizeof *copy)))
                return NAN;
        memcpy(copy, values, n * sizeof *copy);
        qsort(copy, n, sizeof *copy, compare_double);
        m = n % 2 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
        free(copy);
        return m;
}

double samples_median(const bench_samples *s) {
        return median_of(s->v, s->n);
}

double samples_min(const bench_samples *s) {
        double m = NAN;
        for (size_t i = 0; i < s->n; i++)
                if (i == 0 || s->v[i] < m)
                        m = s->v[i];
        return m;
}

double samples_max(const bench_samples *s) {
        double m = NAN;
        for (size_t i = 0; i < s->n; i++)
                if (i == 0 || s->v[i] > m)
                        m = s->v[i];
        return m;
}

void samples_free(bench_samples *s) {
        free(s->v);
        memset(s, 0, sizeof *s);
}

double samples_ratio_median(const bench_samples *a, const bench_samples *b) {
        size_t n = a->n < b->n ? a->n : b->n, k = 0;
        double *ratios = n ? malloc(n * sizeof *ratios) : NULL, m;

        if (!ratios)
                return NAN;
        for (size_t i = 0; i < n; i++)
                if (b->v[i] > 0)
                        ratios[k++] = a->v[i] / b->v[i];
        m = median_of(ratios, k);
        free(ratios);
        return m;
}

void format_us(double us, char *buf, size_t size) {
        if (isnan(us))
                snprintf(buf, size, "-");
        else if (us >= 1e6)
                snprintf(buf, size, "%.2f s", us / 1e6);
        else if (us >= 1e4)
                snprintf(buf, size, "%.1f ms", us / 1e3);
        else if (us >= 1e3)
                snprintf(buf, size, "%.2f ms", us / 1e3);
        else if (us >= 10)
                snprintf(buf, size, "%.0f µs", us);
        else
                snprintf(buf, size, "%.1f µs", us);
}

/* ---- the table ----------------------------------------------------------- */

const char *verdict_text(verdict v) {
        switch (v) {
        case VERDICT_MET: return "met";
        case VERDICT_MISSED: return "**missed**";
        case VERDICT_SKIPPED: return "skipped";
        case VERDICT_NONE: break;
        }
        return "";
}

int table_add(bench_table *t, const char *row, const char *what, const char *median, const char *ratio,
              const char *target, verdict v) {
        bench_line line = { 0 }, *lines = array_grow(t->lines, &t->capacity, t->n + 1, sizeof *lines);

        if (!lines)
                return -ENOMEM;
        t->lines = lines;
        line.row = strdup(row ? row : "");
        line.what = strdup(what ? what : "");
        line.median = strdup(median ? median : "");
        line.ratio = strdup(ratio ? ratio : "");
        line.target = strdup(target ? target : "");
        line.verdict = v;
        if (!line.row || !line.what || !line.median || !line.ratio || !line.target) {
                free(line.row), free(line.what), free(line.median), free(line.ratio), free(line.target);
                return -ENOMEM;
        }
        t->lines[t->n++] = line;
        return 0;
}

int table_note(nc_strv *section, const char *format, ...) {
        char *paragraph = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&paragraph, format, ap) < 0 ? -ENOMEM : nc_strv_push(section, paragraph);
        va_end(ap);
        free(paragraph);
        return r;
}

void table_print(const bench_table *t, FILE *out) {
        fprintf(out, "| row | measurement | median | ratio (median of per-round ratios) | target | result |\n");
        fprintf(out, "|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < t->n; i++) {
                const bench_line *l = &t->lines[i];
                fprintf(out, "| %s | %s | %s | %s | %s | %s |\n", l->row, l->what, l->median, l->ratio, l->target,
                        verdict_text(l->verdict));
        }
}

void table_free(bench_table *t) {
        for (size_t i = 0; i < t->n; i++) {
                bench_line *l = &t->lines[i];
                free(l->row), free(l->what), free(l->median), free(l->ratio), free(l->target);
        }
        nc_strv_clear(&t->notes);
        nc_strv_clear(&t->missed);
        free(t->lines);
        memset(t, 0, sizeof *t);
}
