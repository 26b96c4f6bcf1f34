/* The guest's `system` file, as the start script reads it (the i686
 * check); on its own so that a fuzz target can call it. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "read-file.h"

#define SYSTEM_FILE_MAX 4096

/* if [ "$(< ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system)" = i686-linux ]
 *
 * What bash (5.2) makes of it under -e: the file's content without trailing
 * newlines (NUL bytes dropped); nothing when the unquoted path splits
 * ("ambiguous redirect") or the file opens but cannot be read; and when the
 * file cannot be opened, the start script stops there with status 1, so
 * nspawn never runs. Returns 0 (content or NULL) or -errno for that stop. */
int cli_read_guest_system(const nc_env *env, char **ret_content, char **ret_path) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        size_t len = 0, j = 0;
        int fd;

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
        close(fd);
        if (nc_read_file(path, SYSTEM_FILE_MAX, &text, &len) < 0)
                return 0;
        for (size_t i = 0; i < len; i++)
                if (text[i] != '\0')
                        text[j++] = text[i];
        while (j > 0 && text[j - 1] == '\n')
                j--;
        text[j] = '\0';
        *ret_content = TAKE_PTR(text);
        return 0;
}
