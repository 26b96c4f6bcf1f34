/* Where `argv` finds nixcontainer-init when --init is not given: at run
 * time, relative to the running CLI, so that the path is decided by where
 * `make install` put the two programs, not by the build.
 * NC_INIT_FROM_BINDIR is LIBEXECDIR relative to BINDIR ("../libexec" for
 * every PREFIX); the Makefile derives it and rebuilds this file when an
 * install names directories of another shape. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef NC_INIT_FROM_BINDIR
#define NC_INIT_FROM_BINDIR "../libexec"
#endif

/* Removes "." and "DIR/.." from an absolute path, in place. The kernel's
 * /proc/self/exe has no symbolic links, so this is what realpath() would
 * give without asking for a file that need not exist. */
static void normalize_path(char *path) {
        char *out = path;

        for (const char *in = path; *in;) {
                const char *end = strchrnul(in + 1, '/');
                size_t len = (size_t) (end - in); /* "/NAME" */

                if (len == 1 || (len == 2 && in[1] == '.')) {
                        /* "//" or "/." */
                } else if (len == 3 && in[1] == '.' && in[2] == '.') {
                        while (out > path && *--out != '/')
                                ;
                } else {
                        memmove(out, in, len);
                        out += len;
                }
                in = end;
        }
        if (out == path)
                *out++ = '/';
        *out = '\0';
}

int cli_installed_init(char **ret_path) {
        char exe[PATH_MAX], *slash, *path;
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

        if (n < 0)
                return -errno;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (!slash)
                return -ENOENT;
        *slash = '\0';
        if (asprintf(&path, "%s/" NC_INIT_FROM_BINDIR "/nixcontainer-init", exe) < 0)
                return -ENOMEM;
        normalize_path(path);
        /* In the build tree (build/nixcontainer) the init is its neighbour. */
        if (access(path, X_OK) < 0) {
                char *neighbour;

                if (asprintf(&neighbour, "%s/nixcontainer-init", exe) < 0) {
                        free(path);
                        return -ENOMEM;
                }
                if (access(neighbour, X_OK) == 0) {
                        free(path);
                        path = neighbour;
                } else
                        free(neighbour);
        }
        *ret_path = path;
        return 0;
}
