#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "array.h"
#include "report.h"
#include "text.h"

static void add(report_table *t, const char *fixture, const char *side, const char *check, report_status status,
                char *message) {
        report_entry *entries = array_grow(t->entries, &t->capacity, t->n + 1, sizeof *entries), *e;

        if (!entries) {
                free(message);
                return;
        }
        t->entries = entries;
        e = &t->entries[t->n++];
        e->fixture = strdup(fixture);
        e->side = strdup(side);
        e->check = strdup(check);
        e->status = status;
        e->message = message;
}

static char *format_message(const char *format, va_list ap) {
        char *message;
        return vasprintf(&message, format, ap) < 0 ? NULL : message;
}

void report_pass(report_table *t, const char *fixture, const char *side, const char *check) {
        add(t, fixture, side, check, REPORT_PASS, NULL);
}

void report_fail(report_table *t, const char *fixture, const char *side, const char *check, const char *format, ...) {
        va_list ap;
        va_start(ap, format);
        add(t, fixture, side, check, REPORT_FAIL, format_message(format, ap));
        va_end(ap);
}

void report_skip(report_table *t, const char *fixture, const char *side, const char *check, const char *format, ...) {
        va_list ap;
        va_start(ap, format);
        add(t, fixture, side, check, REPORT_SKIP, format_message(format, ap));
        va_end(ap);
}

void report_info(report_table *t, const char *fixture, const char *side, const char *check, const char *format, ...) {
        va_list ap;
        va_start(ap, format);
        add(t, fixture, side, check, REPORT_INFO, format_message(format, ap));
        va_end(ap);
}

/* A line shown with its invisible characters made visible. */
static void visible(text *b, const char *s, size_t len) {
        for (size_t i = 0; i < len && i < 200; i++) {
                unsigned char c = (unsigned char) s[i];
                if (c == '\n')
                        text_puts(b, "\\n");
                else if (c == '\t')
                        text_puts(b, "\\t");
                else if (c < 0x20 || c == 0x7f)
                        text_printf(b, "\\x%02x", c);
                else
                        text_printf(b, "%c", (char) c);
        }
}

bool report_compare_text(report_table *t, const char *fixture, const char *side, const char *check,
                         const char *what, const char *expected, size_t expected_len, const char *actual,
                         size_t actual_len) {
        size_t line = 1, start = 0, i = 0;
        text shown = { 0 };

        if (expected_len == actual_len && memcmp(expected, actual, actual_len) == 0)
                return true;
        for (; i < expected_len && i < actual_len && expected[i] == actual[i]; i++)
                if (expected[i] == '\n') {
                        line++;
                        start = i + 1;
                }
        {
                const char *e_end = memchr(expected + start, '\n', expected_len - start);
                const char *a_end = memchr(actual + start, '\n', actual_len - start);
                size_t e_len = e_end ? (size_t) (e_end - expected - start) + 1 : expected_len - start;
                size_t a_len = a_end ? (size_t) (a_end - actual - start) + 1 : actual_len - start;
                text_printf(&shown, "%s line %zu: golden \"", what, line);
                visible(&shown, expected + start, e_len);
                text_puts(&shown, "\", got \"");
                visible(&shown, actual + start, a_len);
                text_puts(&shown, "\"");
        }
        report_fail(t, fixture, side, check, "%s", text_data(&shown, NULL) ? text_data(&shown, NULL) : what);
        text_free(&shown);
        return false;
}

/* argv[i] quoted and made visible, or "(end)". */
static void argument(text *b, const nc_strv *argv, size_t i) {
        if (i < argv->n) {
                text_puts(b, "\"");
                visible(b, argv->items[i], strlen(argv->items[i]));
                text_puts(b, "\"");
        } else
                text_puts(b, "(end)");
}

bool report_compare_argv(report_table *t, const char *fixture, const char *side, const char *check,
                         const char *what, const nc_strv *expected, const nc_strv *actual) {
        text shown = { 0 };
        size_t i = 0;

        while (i < expected->n && i < actual->n && strcmp(expected->items[i], actual->items[i]) == 0)
                i++;
        if (i == expected->n && i == actual->n)
                return true;
        text_printf(&shown, "%s argv[%zu]: golden ", what, i);
        argument(&shown, expected, i);
        text_puts(&shown, ", got ");
        argument(&shown, actual, i);
        text_printf(&shown, " (golden has %zu arguments, got %zu)", expected->n, actual->n);
        report_fail(t, fixture, side, check, "%s", text_data(&shown, NULL) ? text_data(&shown, NULL) : what);
        text_free(&shown);
        return false;
}

void report_print(const report_table *t, FILE *out) {
        report_print_titled(t, out, "conformance");
}

void report_print_titled(const report_table *t, FILE *out, const char *title) {
        size_t passed = 0, failed = 0, skipped = 0;

        fprintf(out, "\n==== %s report ====\n", title);
        for (size_t i = 0; i < t->n;) {
                const char *fixture = t->entries[i].fixture;
                size_t end = i, fails = 0, passes = 0;
                while (end < t->n && strcmp(t->entries[end].fixture, fixture) == 0) {
                        fails += t->entries[end].status == REPORT_FAIL;
                        passes += t->entries[end].status == REPORT_PASS;
                        end++;
                }
                fprintf(out, "%s %s:", fails ? "DIFFERS  " : passes ? "IDENTICAL" : "SKIPPED  ", fixture);
                for (size_t j = i; j < end; j++)
                        if (t->entries[j].status == REPORT_PASS)
                                fprintf(out, " %s/%s", t->entries[j].side, t->entries[j].check);
                fputc('\n', out);
                for (size_t j = i; j < end; j++)
                        if (t->entries[j].status != REPORT_PASS)
                                fprintf(out, "    %s %s/%s: %s\n",
                                        t->entries[j].status == REPORT_FAIL   ? "FAIL"
                                        : t->entries[j].status == REPORT_SKIP ? "skip"
                                                                              : "info",
                                        t->entries[j].side, t->entries[j].check,
                                        t->entries[j].message ? t->entries[j].message : "");
                if (fails)
                        failed++;
                else if (passes)
                        passed++;
                for (size_t j = i; j < end; j++)
                        skipped += t->entries[j].status == REPORT_SKIP;
                i = end;
        }
        fprintf(out, "%s: %zu fixtures identical, %zu differ, %zu check%s skipped\n", title, passed, failed, skipped,
                skipped == 1 ? "" : "s");
}

void report_free(report_table *t) {
        for (size_t i = 0; i < t->n; i++) {
                free(t->entries[i].fixture);
                free(t->entries[i].side);
                free(t->entries[i].check);
                free(t->entries[i].message);
        }
        free(t->entries);
        memset(t, 0, sizeof *t);
}

void report_assert(bool ok, const char *fixture, const char *side, const char *check, const char *file,
                   unsigned line) {
        char what[512];

        snprintf(what, sizeof what, "%s: %s/%s differs (see its report line)", fixture, side, check);
        /* CUnit copies the condition and file name into its failure record. */
        CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, what, file, "", CU_FALSE);
}
