#include <err.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "text.h"

void fuzz_fail(const char *format, ...) {
        va_list ap;

        va_start(ap, format);
        vwarnx(format, ap); /* "fuzz-config: MESSAGE" on stderr, unbuffered */
        va_end(ap);
        abort();
}

void fuzz_print_escaped(FILE *f, const char *s, size_t len) {
        if (!s) {
                fputs("(absent)", f);
                return;
        }
        fputc('"', f);
        print_escaped(f, s, len);
        fputc('"', f);
}

void fuzz_expect_string(const char *what, const char *expected, const char *actual) {
        if (expected == actual || (expected && actual && strcmp(expected, actual) == 0))
                return;
        fprintf(stderr, "fuzz: %s: expected ", what);
        fuzz_print_escaped(stderr, expected, expected ? strlen(expected) : 0);
        fputs(", got ", stderr);
        fuzz_print_escaped(stderr, actual, actual ? strlen(actual) : 0);
        fputc('\n', stderr);
        fuzz_fail("%s: the value differs", what);
}

bool fuzz_env_name_is_valid(const char *name) {
        if (!name || !name[0] || (name[0] >= '0' && name[0] <= '9'))
                return false;
        for (const char *p = name; *p; p++)
                if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
                        return false;
        return true;
}

const char *fuzz_take_release(const uint8_t **data, size_t *size) {
        size_t n = 0, pick;

        if (*size == 0 || (*data)[0] < 0x01 || (*data)[0] > 0x08)
                return NULL;
        while (nc_release_name(n))
                n++;
        pick = ((size_t) (*data)[0] - 1) % n;
        (*data)++;
        (*size)--;
        return nc_release_name(pick);
}

void fuzz_split_units_input(const uint8_t *data, size_t size, fuzz_units_input *ret) {
        const char *release = fuzz_take_release(&data, &size);
        const char *text = (const char *) data;
        const char *nul = memchr(text, '\0', size);
        size_t config_len = nul ? (size_t) (nul - text) : size;

        *ret = (fuzz_units_input) {
                .release = release,
                .config = text,
                .config_len = config_len,
                .env_file = nul ? nul + 1 : NULL,
                .env_file_len = nul ? size - config_len - 1 : 0,
        };
}

void fuzz_each_unit(const fuzz_units_input *input, nc_mode mode, fuzz_unit_fn fn, void *userdata) {
        nc_error error = { .message = "" };
        nc_config *config = NULL;
        char unknown[64] = "imperative";
        size_t i;

        if (nc_config_load_json(input->config, input->config_len, mode, input->release, NULL, &config, &error) < 0) {
                if (!error.message[0])
                        fuzz_fail("nc_config_load_json() failed without a message");
                config = NULL;
        }
        for (i = 0; config && i < nc_config_count(config); i++)
                fn(nc_config_at(config, i), nc_container_name(nc_config_at(config, i)), nc_config_release(config), mode,
                   i, input, userdata);
        /* A name that is not in the config: everything from the env file. */
        while (nc_config_find(config, unknown) && strlen(unknown) + 2 < sizeof unknown)
                strcat(unknown, "-x");
        /* (No template where boot.enableContainers is off: NULL is 21.05's.) */
        if (!nc_config_find(config, unknown))
                fn(nc_config_template(config), unknown, nc_config_template(config) ? nc_config_release(config) : "21.05",
                   mode, i, input, userdata);
        nc_config_free(config);
}

int fuzz_unit_environment(const nc_container *container, const char *name, const fuzz_units_input *input,
                          nc_env **ret_env) {
        nc_error error = { .message = "" };
        const char *env_file = input->env_file;
        size_t env_file_len = input->env_file_len;
        char *rendered = NULL;
        nc_env *base = nc_env_new();
        int r;

        *ret_env = NULL;
        if (!base || nc_env_set(base, "PATH", "/run/wrappers/bin:/run/current-system/sw/bin") < 0)
                fuzz_fail("out of memory");
        if (container && !env_file) {
                r = nc_render_env_file(container, &rendered, &env_file_len);
                if (r < 0)
                        fuzz_fail("nc_render_env_file(%s) failed: %d", name, r);
                env_file = rendered;
        }
        r = nc_unit_environment(container, name, base, env_file, env_file_len, ret_env, &error);
        if (r < 0 && !error.message[0])
                fuzz_fail("nc_unit_environment(%s) failed (%d) without a message", name, r);
        nc_env_free(base);
        free(rendered);
        return r;
}

int fuzz_units_in_both_modes(const uint8_t *data, size_t size, fuzz_unit_fn fn) {
        fuzz_units_input input;

        if (size > FUZZ_MAX_INPUT)
                return 0;
        fuzz_split_units_input(data, size, &input);
        fuzz_each_unit(&input, NC_MODE_STRICT, fn, NULL);
        fuzz_each_unit(&input, NC_MODE_COMPAT, fn, NULL);
        return 0;
}

static char scratch_dir[64], scratch_file[128];

static void remove_scratch(void) {
        unlink(scratch_file);
        rmdir(scratch_dir);
}

const char *fuzz_scratch_file(const char *name) {
        if (!scratch_dir[0]) {
                snprintf(scratch_dir, sizeof scratch_dir, "/tmp/fuzz-scratch.%d.XXXXXX", (int) getpid());
                if (!mkdtemp(scratch_dir))
                        fuzz_fail("cannot make a scratch folder");
                snprintf(scratch_file, sizeof scratch_file, "%s/%s", scratch_dir, name);
                atexit(remove_scratch);
        }
        return scratch_file;
}
