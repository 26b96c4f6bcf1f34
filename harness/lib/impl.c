/* The implementations under test: see impl.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impl.h"
#include "strv.h"
#include "text.h"

const char *impl_stage_name(impl_stage stage) {
        switch (stage) {
        case IMPL_PRESTART: return "prestart";
        case IMPL_INIT_SETUP: return "init-setup";
        case IMPL_HOST_SETUP: return "host-setup";
        }
        return "?";
}

int impl_parse(const char *spec, impl *ret) {
        impl i = { 0 };
        int r = 0;

        if (strcmp(spec, "original") == 0)
                i.kind = IMPL_ORIGINAL;
        else if (strcmp(spec, "ref") == 0)
                i.kind = IMPL_REF;
        else if (strncmp(spec, "exec:", 5) == 0) {
                i.kind = IMPL_EXEC;
                r = split_words(spec + 5, &i.command);
                if (r >= 0 && i.command.n == 0)
                        r = -EINVAL;
        } else
                r = -EINVAL;
        if (r >= 0) {
                i.label = strdup(i.kind == IMPL_ORIGINAL ? "original" : i.kind == IMPL_REF ? "ref" : "exec");
                if (!i.label)
                        r = -ENOMEM;
        }
        if (r < 0) {
                impl_clear(&i);
                return r;
        }
        *ret = i;
        return 0;
}

void impl_clear(impl *i) {
        nc_strv_clear(&i->command);
        free(i->label);
        i->label = NULL;
}

int impl_run(const impl *i, const impl_call *call, impl_stage stage, char **ret_outcome) {
        switch (i->kind) {
        case IMPL_ORIGINAL: return impl_original_run(call, stage, ret_outcome);
        case IMPL_EXEC: return impl_exec_run(&i->command, call, stage, ret_outcome);
        case IMPL_REF: return impl_ref_run(call, stage, ret_outcome);
        }
        return -EINVAL;
}

int impl_outcome(char **ret_outcome, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(ret_outcome, format, ap);
        va_end(ap);
        if (r < 0) {
                *ret_outcome = NULL;
                return -ENOMEM;
        }
        /* One line: the outcome is a line of the .net file. */
        for (char *p = *ret_outcome; *p; p++)
                if (*p == '\n' || *p == '\r')
                        *p = ' ';
        return 0;
}

char *impl_last_traced_ip(const char *trace) {
        const char *line, *found = NULL;
        size_t len, found_len = 0;

        for (const char *at = trace; text_next_line(&at, &line, &len);)
                if (strncmp(line, "+ ip ", 5) == 0) {
                        found = line;
                        found_len = len;
                }
        return found ? strndup(found + 2, found_len - 2) : NULL;
}

char *impl_step_from_message(const char *message, const char *prefix) {
        const char *start = message, *end;
        size_t n = strlen(prefix);

        if (strncmp(start, prefix, n) != 0)
                return NULL;
        start += n;
        end = strstr(start, ": ");
        if (!end)
                end = start + strcspn(start, "\n");
        return strndup(start, (size_t) (end - start));
}
