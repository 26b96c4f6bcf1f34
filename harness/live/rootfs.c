/* The containers' root file system: a minimal OS tree built from copies of
 * the machine's programs and the libraries they load.
 *
 * A copy rather than a read-only bind of /usr: `--ephemeral` makes nspawn
 * copy the tree without crossing mount points, so a bound /usr would be
 * missing from the copy ("/usr/ directory is missing. Refusing."). A copy of
 * a few programs costs a few megabytes of tmpfs and works for every
 * fixture alike. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "live.h"
#include "run.h"
#include "strv.h"
#include "text.h"

const char *const live_os_programs[] = {
        "/usr/bin/sh",    /* the ref's nixcontainer-init sources stage 2 with it */
        "/usr/bin/dash",
        "/usr/bin/bash",  /* the module's container-init: #! /bin/bash -e */
        "/usr/bin/ip",    /* what both run, and the stage 2's record */
        "/usr/sbin/ip",
        "/usr/bin/sleep", /* the stage 2 waits with it */
        NULL,
};

/* Copies are of programs and libraries: a few MB at most. */
#define COPY_MAX (256u << 20)

int live_copy_file(const char *from, const char *to, mode_t mode) {
        char *data = NULL;
        size_t len = 0;
        int r = read_file(from, COPY_MAX, &data, &len);

        if (r >= 0)
                r = write_file(to, data, len, mode);
        free(data);
        return r;
}

static void set_error(char **ret_error, const char *format, const char *what, int r) {
        if (asprintf(ret_error, format, what, strerror(-r)) < 0)
                *ret_error = NULL;
}

/* The absolute paths in ldd's output: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)"
 * and the interpreter, "/lib64/ld-linux-x86-64.so.2 (0x...)". */
static int add_libraries(const char *program, nc_strv *files, char **ret_error) {
        char *argv[] = { (char *) "ldd", (char *) program, NULL };
        run_result result = { 0 };
        int r = run_command(argv, (char *const[]) { (char *) "PATH=/usr/bin:/bin", (char *) "LC_ALL=C", NULL }, NULL,
                            NULL, &result);

        if (r < 0) {
                set_error(ret_error, "ldd %s: %s", program, r);
                return r;
        }
        if (result.status != 0) {
                /* A static program: "not a dynamic executable". */
                run_result_free(&result);
                return 0;
        }
        for (char *line = result.out; r >= 0 && line && *line;) {
                char *end = strchr(line, '\n'), *path;
                if (end)
                        *end = '\0';
                path = strstr(line, "=> /");
                path = path ? path + 3 : (line[strspn(line, " \t")] == '/' ? line + strspn(line, " \t") : NULL);
                if (path) {
                        path[strcspn(path, " \t")] = '\0';
                        r = strv_push_unique(files, path);
                }
                line = end ? end + 1 : NULL;
        }
        run_result_free(&result);
        return r;
}

int live_closure(const char *const *programs, const char *extra, nc_strv *ret_files, char **ret_error) {
        nc_strv files = { 0 };
        int r = 0;

        *ret_error = NULL;
        for (size_t i = 0; r >= 0 && programs[i]; i++) {
                struct stat st;
                if (lstat(programs[i], &st) < 0) {
                        r = -errno;
                        set_error(ret_error, "%s: %s", programs[i], r);
                        break;
                }
                r = strv_push_unique(&files, programs[i]);
                if (r >= 0 && S_ISREG(st.st_mode))
                        r = add_libraries(programs[i], &files, ret_error);
        }
        if (r >= 0 && extra)
                r = add_libraries(extra, &files, ret_error);
        if (r < 0) {
                nc_strv_clear(&files);
                return r;
        }
        *ret_files = files;
        return 0;
}

static bool is_program(const char *file) {
        for (size_t i = 0; live_os_programs[i]; i++)
                if (strcmp(live_os_programs[i], file) == 0)
                        return true;
        return false;
}

/* A host file goes to the same place in the tree, its directory resolved as
 * on the host (/lib/x86_64-linux-gnu -> /usr/lib/x86_64-linux-gnu, since /lib
 * is a link to usr/lib there as here): ROOT/usr/lib/x86_64-linux-gnu/libc.so.6.
 * A program listed in live_os_programs stays a symlink if it is one
 * (sh -> dash); a library is copied with its content (libnl-3.so.200 ->
 * libnl-3.so.200.26.0 becomes a file named as ldd found it). */
static int copy_into(const char *root, const char *file) {
        char *dir_copy = strdup(file), *base_copy = strdup(file), resolved[PATH_MAX], *target = NULL, *target_dir = NULL;
        struct stat st;
        int r = 0;

        if (!dir_copy || !base_copy) {
                r = -ENOMEM;
                goto out;
        }
        if (!realpath(dirname(dir_copy), resolved) || (is_program(file) ? lstat(file, &st) : stat(file, &st)) < 0) {
                r = -errno;
                goto out;
        }
        if (asprintf(&target, "%s%s/%s", root, resolved, basename(base_copy)) < 0 ||
            asprintf(&target_dir, "%s%s", root, resolved) < 0) {
                r = -ENOMEM;
                goto out;
        }
        r = mkdir_p(target_dir, 0755);
        if (r < 0)
                goto out;
        if (S_ISLNK(st.st_mode)) {
                char link[PATH_MAX];
                ssize_t n = readlink(file, link, sizeof link - 1);
                if (n < 0) {
                        r = -errno;
                        goto out;
                }
                link[n] = '\0';
                if (symlink(link, target) < 0 && errno != EEXIST)
                        r = -errno;
        } else
                r = live_copy_file(file, target, st.st_mode & 07777);
out:
        free(dir_copy);
        free(base_copy);
        free(target);
        free(target_dir);
        return r;
}

int live_os_tree(const char *root, const nc_strv *files, char **ret_error) {
        static const char *const dirs[] = { "usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "etc", "proc", "sys",
                                            "dev", "run", "tmp", "var/lib", "root", NULL };
        static const char *const links[][2] = {
                { "bin", "usr/bin" }, { "sbin", "usr/sbin" }, { "lib", "usr/lib" }, { "lib64", "usr/lib64" },
        };
        char *path = NULL;
        int r = 0;

        *ret_error = NULL;
        for (size_t i = 0; r >= 0 && dirs[i]; i++) {
                if (asprintf(&path, "%s/%s", root, dirs[i]) < 0)
                        return -ENOMEM;
                r = mkdir_p(path, 0755);
                if (r < 0)
                        set_error(ret_error, "%s: %s", path, r);
                free(path);
        }
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(links); i++) {
                if (asprintf(&path, "%s/%s", root, links[i][0]) < 0)
                        return -ENOMEM;
                if (symlink(links[i][1], path) < 0 && errno != EEXIST) {
                        r = -errno;
                        set_error(ret_error, "%s: %s", path, r);
                }
                free(path);
        }
        for (size_t i = 0; r >= 0 && i < files->n; i++) {
                r = copy_into(root, files->items[i]);
                if (r < 0)
                        set_error(ret_error, "copying %s into the tree: %s", files->items[i], r);
        }
        if (r >= 0) {
                if (asprintf(&path, "%s/etc/os-release", root) < 0)
                        return -ENOMEM;
                r = write_file_string(path, "ID=nixcontainer-live\nNAME=\"nixcontainer live tier\"\n", 0644);
                free(path);
        }
        /* if ! [ -e "$root/etc/machine-id" ]; then touch "$root/etc/machine-id"; fi */
        if (r >= 0) {
                if (asprintf(&path, "%s/etc/machine-id", root) < 0)
                        return -ENOMEM;
                r = write_file_string(path, "", 0444);
                free(path);
        }
        if (r < 0 && !*ret_error)
                set_error(ret_error, "%s: %s", root, r);
        return r;
}
