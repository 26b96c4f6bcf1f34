/* fuzz-guest-system: the start script's read of the guest's `system` file
 * (ref/cli/guest-system.c: "$(< ${SYSTEM_PATH:-...}/system)").
 *
 * The input is MODE CONTENT: CONTENT is written to DIR/system in a scratch
 * folder made once; SYSTEM_PATH is DIR, or (MODE bit 0) "DIR x", a path
 * that splits; with MODE bit 1 the file is removed instead.
 *
 * Checked besides crashes and leaks: a path that splits reads nothing; a
 * missing file stops the script (-ENOENT, with the path); otherwise the
 * content is what bash's $(< file) gives -- NUL bytes dropped, trailing
 * newlines stripped -- computed here again, or nothing when that is over
 * 4096 bytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz-common.h"

#define KEPT_MAX 4096

/* $(< file) written again: NULs dropped, trailing newlines stripped. */
static size_t expected(const uint8_t *data, size_t size, char *out) {
        size_t len = 0;

        for (size_t i = 0; i < size; i++)
                if (data[i] != '\0')
                        out[len++] = (char) data[i];
        while (len > 0 && out[len - 1] == '\n')
                len--;
        out[len] = '\0';
        return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *file = fuzz_scratch_file("system");
        char *content = NULL, *path = NULL, *want, split[160], dir[128];
        nc_env *env;
        size_t want_len;
        int fd, r;

        snprintf(dir, sizeof dir, "%.*s", (int) (strrchr(file, '/') - file), file);
        if (size < 1 || size > FUZZ_MAX_INPUT)
                return 0;
        if (data[0] & 2)
                unlink(file);
        else {
                fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t) (size - 1))
                        fuzz_fail("cannot write %s", file);
                close(fd);
        }
        snprintf(split, sizeof split, "%s x", dir);
        env = nc_env_new();
        if (!env || nc_env_set(env, "SYSTEM_PATH", data[0] & 1 ? split : dir) < 0)
                fuzz_fail("out of memory");
        r = cli_read_guest_system(env, &content, &path);
        want = malloc(size);
        if (!want)
                fuzz_fail("out of memory");
        want_len = expected(data + 1, size - 1, want);

        if (data[0] & 1) {
                if (r != 0 || content || path)
                        fuzz_fail("a SYSTEM_PATH that splits: %d, content %s", r, content ? "read" : "none");
        } else if (data[0] & 2) {
                if (r != -ENOENT || content || !path || strcmp(path, file) != 0)
                        fuzz_fail("a missing file: %d, path %s", r, path ? path : "(none)");
        } else if (r != 0 || path)
                fuzz_fail("a readable file: %d", r);
        else if (want_len > KEPT_MAX ? content != NULL : !content || strcmp(content, want) != 0) {
                fprintf(stderr, "expected ");
                fuzz_print_escaped(stderr, want_len > KEPT_MAX ? NULL : want, want_len);
                fprintf(stderr, "\nread     ");
                fuzz_print_escaped(stderr, content, content ? strlen(content) : 0);
                fuzz_fail("\nthe content differs from what bash reads");
        }
        free(want);
        free(content);
        free(path);
        nc_env_free(env);
        return 0;
}
