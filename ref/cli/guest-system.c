/* The guest's `system` file, as the start script reads it (the i686
 * check); on its own so that a fuzz target can call it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc-util.h"
#include "cli.h"

/* Content kept, trailing newlines not counted: longer cannot be
 * "i686-linux", the one value the callers look for. */
#define SYSTEM_FILE_MAX 4096
/* Bytes read at most (bash would read on forever from /dev/zero). */
#define SYSTEM_FILE_READ_MAX (64u << 20)

/* if [ "$(< ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system)" = i686-linux ]
 *
 * What bash (5.2) makes of it under -e: the file's content without trailing
 * newlines (NUL bytes dropped); nothing when the unquoted path splits
 * ("ambiguous redirect") or the file opens but cannot be read; and when the
 * file cannot be opened, the start script stops there with status 1, so
 * nspawn never runs. Returns 0 (content or NULL) or -errno for that stop.
 * NUL bytes are dropped and newlines held back as they are read, so that a
 * short value followed by any number of them is still that value; content
 * longer than SYSTEM_FILE_MAX, or a file beyond SYSTEM_FILE_READ_MAX, gives
 * NULL. */
int cli_read_guest_system(const nc_env *env, char **ret_content, char **ret_path) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t len = 0, newlines = 0, total = 0;
        char buffer[4096];

        *ret_content = NULL;
        *ret_path = NULL;
        if (nc_argv_system_file(env, &path) < 0)
                return -ENOMEM;
        if (strpbrk(path, " \t\n"))
                return 0;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                int r = -errno;
                *ret_path = TAKE_PTR(path);
                return r;
        }
        text = malloc(SYSTEM_FILE_MAX + 1);
        if (!text)
                return 0;
        for (;;) {
                ssize_t n = read(fd, buffer, sizeof buffer);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 || (total += (size_t) n) > SYSTEM_FILE_READ_MAX)
                        return 0;
                if (n == 0)
                        break;
                for (ssize_t i = 0; i < n; i++) {
                        if (buffer[i] == '\0')
                                continue;
                        if (buffer[i] == '\n') {
                                newlines++;
                                continue;
                        }
                        if (len + newlines + 1 > SYSTEM_FILE_MAX)
                                return 0;
                        memset(text + len, '\n', newlines);
                        len += newlines;
                        newlines = 0;
                        text[len++] = buffer[i];
                }
        }
        text[len] = '\0';
        *ret_content = TAKE_PTR(text);
        return 0;
}
