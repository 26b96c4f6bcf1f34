/* fuzz-init-config: nixcontainer-init's config and name selection
 * (ref/init/init-config.c: init_load_container()).
 *
 * The input is FLAGS NAME NUL HOSTNAME NUL CONFIG: FLAGS bit 0 makes the
 * config explicit (NIXCONTAINER_CONFIG), bit 1 gives NAME
 * (NIXCONTAINER_NAME), bit 2 HOSTNAME, bit 3 removes the config file. The
 * config is written to a file in a scratch folder made once.
 *
 * Checked besides crashes and leaks: a missing file is the template's init
 * (no config, no container) unless explicit, then -ENOENT with a message;
 * otherwise a failure has a message, and a success is the container called
 * NAME, else the only one, else the one called HOSTNAME. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "init-config.h"

/* The next NUL-terminated field of the input, or NULL at its end. */
static char *take_field(char **cursor, char *end) {
        char *field = *cursor, *nul;

        if (field >= end)
                return NULL;
        nul = memchr(field, '\0', (size_t) (end - field));
        *cursor = nul ? nul + 1 : end;
        return field;
}

static void check_choice(const nc_config *config, const nc_container *container, const char *name, const char *hostname) {
        const char *want = name ? name
                           : nc_config_count(config) == 1 ? nc_container_name(nc_config_at(config, 0))
                                                          : hostname;
        if (!want || strcmp(nc_container_name(container), want) != 0)
                fuzz_fail("the init chose %s, not %s", nc_container_name(container), want ? want : "(none)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *copy, *cursor, *end, *name, *hostname, *config_text;
        const nc_container *container = (const nc_container *) 1;
        nc_config *config = (nc_config *) 1;
        nc_error error = { .message = "" };
        bool explicit, missing;
        const char *file = fuzz_scratch_file("nixcontainer.json");
        int fd, r;

        if (size < 1 || size > FUZZ_MAX_INPUT)
                return 0;
        copy = malloc(size);
        if (!copy)
                fuzz_fail("out of memory");
        memcpy(copy, data + 1, size - 1);
        copy[size - 1] = '\0';
        cursor = copy;
        end = copy + size - 1;
        name = take_field(&cursor, end);
        hostname = take_field(&cursor, end);
        config_text = cursor;
        if (!(data[0] & 2))
                name = NULL;
        if (!(data[0] & 4))
                hostname = NULL;
        explicit = data[0] & 1;
        missing = data[0] & 8;
        if (missing)
                unlink(file);
        else {
                size_t len = (size_t) (end - config_text);
                fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                if (fd < 0 || write(fd, config_text, len) != (ssize_t) len)
                        fuzz_fail("cannot write %s", file);
                close(fd);
        }

        r = init_load_container(file, explicit, name, hostname, &config, &container, &error);
        if (missing && !explicit) {
                if (r != 0 || config || container)
                        fuzz_fail("an absent default config is not the template's init (%d)", r);
        } else if (missing) {
                if (r != -ENOENT || !error.message[0])
                        fuzz_fail("an absent explicit config: %d \"%s\"", r, error.message);
        } else if (r < 0) {
                if (!error.message[0])
                        fuzz_fail("a failure (%d) without a message", r);
        } else if (!config || !container)
                fuzz_fail("a config without its container");
        else
                check_choice(config, container, name, hostname);
        if (r >= 0 && config)
                nc_config_free(config);
        free(copy);
        return 0;
}
