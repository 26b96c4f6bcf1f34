/* JUnit XML and TAP from a tier's results: see results.h. The JUnit
 * shape is the one Jenkins, GitLab and GitHub's test reporters read
 * (testsuite / testcase / failure / skipped); TAP is version 13 with a
 * YAML block for a failure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <CUnit/TestDB.h>
#include <CUnit/TestRun.h>

#include "array.h"
#include "results.h"

static int add(result_list *r, const char *classname, const char *name, report_status status, const char *message) {
        result_case *cases = array_grow(r->cases, &r->capacity, r->n + 1, sizeof *cases), *c;

        if (!cases)
                return -ENOMEM;
        r->cases = cases;
        c = &r->cases[r->n];
        *c = (result_case) {
                .classname = strdup(classname), .name = strdup(name), .status = status,
                .message = message ? strdup(message) : NULL,
        };
        if (!c->classname || !c->name || (message && !c->message)) {
                free(c->classname);
                free(c->name);
                free(c->message);
                return -ENOMEM;
        }
        r->n++;
        return 0;
}

int results_add_report(result_list *r, const report_table *t) {
        for (size_t i = 0; i < t->n; i++) {
                const report_entry *e = &t->entries[i];
                char name[256];
                int k;

                if (e->status == REPORT_INFO)
                        continue;
                snprintf(name, sizeof name, "%s/%s", e->side, e->check);
                if ((k = add(r, e->fixture, name, e->status, e->message)) < 0)
                        return k;
        }
        return 0;
}

int results_add_cunit(result_list *r) {
        CU_pTestRegistry registry = CU_get_registry();

        for (CU_pSuite suite = registry ? registry->pSuite : NULL; suite; suite = suite->pNext)
                for (CU_pTest test = suite->pTest; test; test = test->pNext) {
                        char *message = NULL;
                        size_t length = 0;
                        FILE *out = open_memstream(&message, &length);
                        int k;

                        if (!out)
                                return -ENOMEM;
                        for (CU_pFailureRecord f = CU_get_failure_list(); f; f = f->pNext)
                                if (f->pTest == test)
                                        fprintf(out, "%s:%u: %s\n", f->strFileName ? f->strFileName : "?",
                                                f->uiLineNumber, f->strCondition ? f->strCondition : "");
                        if (fclose(out) != 0) {
                                free(message);
                                return -ENOMEM;
                        }
                        k = add(r, suite->pName, test->pName, length ? REPORT_FAIL : REPORT_PASS,
                                length ? message : NULL);
                        free(message);
                        if (k < 0)
                                return k;
                }
        return 0;
}

/* Text for an XML attribute or element: the five special characters as
 * entities, control characters (which XML 1.0 cannot hold) as '?'. */
static void xml_escaped(FILE *out, const char *s) {
        for (; s && *s; s++) {
                unsigned char c = (unsigned char) *s;
                switch (c) {
                case '&': fputs("&amp;", out); break;
                case '<': fputs("&lt;", out); break;
                case '>': fputs("&gt;", out); break;
                case '"': fputs("&quot;", out); break;
                case '\'': fputs("&apos;", out); break;
                default: fputc(c < 0x20 && c != '\n' && c != '\t' ? '?' : c, out);
                }
        }
}

static void write_junit(FILE *out, const result_list *r, const char *label) {
        size_t failures = 0, skipped = 0;

        for (size_t i = 0; i < r->n; i++) {
                failures += r->cases[i].status == REPORT_FAIL;
                skipped += r->cases[i].status == REPORT_SKIP;
        }
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"", out);
        xml_escaped(out, label);
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", r->n, failures, skipped);
        for (size_t i = 0; i < r->n; i++) {
                const result_case *c = &r->cases[i];

                fputs("    <testcase classname=\"", out);
                xml_escaped(out, c->classname);
                fputs("\" name=\"", out);
                xml_escaped(out, c->name);
                if (c->status == REPORT_PASS) {
                        fputs("\"/>\n", out);
                        continue;
                }
                fputs(c->status == REPORT_FAIL ? "\">\n      <failure message=\"" : "\">\n      <skipped message=\"", out);
                xml_escaped(out, c->message ? c->message : "");
                if (c->status == REPORT_FAIL) {
                        fputs("\">", out);
                        xml_escaped(out, c->message ? c->message : "");
                        fputs("</failure>\n", out);
                } else
                        fputs("\"/>\n", out);
                fputs("    </testcase>\n", out);
        }
        fputs("  </testsuite>\n</testsuites>\n", out);
}

/* A TAP description or YAML scalar on one line: '#' would start a
 * directive and a newline would end the line. */
static void tap_line(FILE *out, const char *s) {
        for (; s && *s; s++)
                fputc(*s == '\n' || *s == '#' ? ' ' : *s, out);
}

static void write_tap(FILE *out, const result_list *r, const char *label) {
        fputs("TAP version 13\n# ", out);
        tap_line(out, label);
        fprintf(out, "\n1..%zu\n", r->n);
        for (size_t i = 0; i < r->n; i++) {
                const result_case *c = &r->cases[i];

                fprintf(out, "%s %zu - ", c->status == REPORT_FAIL ? "not ok" : "ok", i + 1);
                tap_line(out, c->classname);
                fputc(' ', out);
                tap_line(out, c->name);
                if (c->status == REPORT_SKIP) {
                        fputs(" # SKIP ", out);
                        tap_line(out, c->message);
                }
                fputc('\n', out);
                if (c->status == REPORT_FAIL) {
                        fputs("  ---\n  message: \"", out);
                        for (const char *s = c->message; s && *s; s++) {
                                if (*s == '\n')
                                        fputs("\\n", out);
                                else {
                                        if (*s == '"' || *s == '\\')
                                                fputc('\\', out);
                                        fputc(*s, out);
                                }
                        }
                        fputs("\"\n  ...\n", out);
                }
        }
}

static int write_file_with(const char *path, void (*write)(FILE *, const result_list *, const char *), const result_list *r,
                           const char *label) {
        FILE *out;

        if (!path)
                return 0;
        out = fopen(path, "we");
        if (!out)
                return -errno;
        write(out, r, label);
        return fclose(out) == 0 ? 0 : -EIO;
}

int results_write(const result_list *r, const char *label, const char *junit_path, const char *tap_path) {
        int k = write_file_with(junit_path, write_junit, r, label);

        if (k >= 0)
                k = write_file_with(tap_path, write_tap, r, label);
        return k;
}

int results_write_env(const result_list *r, const char *label) {
        const char *dir = getenv("NC_REPORTS_DIR");
        char file[256], *junit = NULL, *tap = NULL;
        size_t j = 0;
        int k;

        if (!dir || !dir[0])
                return 0;
        for (const char *s = label; *s && j + 1 < sizeof file; s++) {
                bool plain = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                             *s == '.' || *s == '@' || *s == '_';
                if (plain)
                        file[j++] = *s;
                else if (j > 0 && file[j - 1] != '-')
                        file[j++] = '-';
        }
        while (j > 0 && file[j - 1] == '-')
                j--;
        file[j] = '\0';
        if (asprintf(&junit, "%s/%s.xml", dir, file) < 0 || asprintf(&tap, "%s/%s.tap", dir, file) < 0) {
                free(junit);
                return -ENOMEM;
        }
        k = results_write(r, label, junit, tap);
        free(junit);
        free(tap);
        return k;
}

void results_free(result_list *r) {
        for (size_t i = 0; i < r->n; i++) {
                free(r->cases[i].classname);
                free(r->cases[i].name);
                free(r->cases[i].message);
        }
        free(r->cases);
        *r = (result_list) { 0 };
}

int results_write_all(const report_table *t, bool cunit, const char *label, const char *junit_path,
                      const char *tap_path) {
        result_list r = { 0 };
        int k = t ? results_add_report(&r, t) : 0;

        if (k >= 0 && cunit)
                k = results_add_cunit(&r);
        if (k >= 0)
                k = results_write(&r, label, junit_path, tap_path);
        if (k >= 0)
                k = results_write_env(&r, label);
        if (k < 0)
                fprintf(stderr, "%s: writing the JUnit and TAP results: %s\n", label, strerror(-k));
        results_free(&r);
        return k;
}
