/* The fake packages of the unit's PATH in the run's private /nix/store.
 * The golden PATH names fixed fake store paths (harness/golden/eval.nix);
 * the start script, preStart and postStart find `ip`, `mkdir`, `cp` and
 * systemd-nspawn through them, and so does the container-init, inside the
 * container, through the PATH nspawn's --setenv gives it (the store is
 * bound read-only into the container, and the absolute links resolve in
 * the container's own /usr). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live.h"
#include "text.h"

/* iproute2: the machine's ip. bash -e stops right after the call that
 * failed, so the line on stderr names the step, as xtrace does for the
 * scripts the harness runs itself. */
static const char ip_wrapper[] =
        "#!/bin/sh\n"
        "# The live tier's iproute2: the machine's ip; a failing call is named on stderr.\n"
        "/usr/bin/ip \"$@\" && exit 0\n"
        "status=$?\n"
        "echo \"live-ip: failed: ip $*\" >&2\n"
        "exit $status\n";

static const char machinectl_stub[] =
        "#!/bin/sh\n"
        "# The live tier's machinectl: nspawn runs with --register=no, so no machine is known.\n"
        "echo \"No machine '$2' known\" >&2\n"
        "exit 1\n";

static int package_links(const char *package) {
        static const char *const links[][2] = { { "bin", "/usr/bin" }, { "sbin", "/usr/sbin" } };
        int r = mkdir_p(package, 0755);

        for (size_t i = 0; r >= 0 && i < 2; i++) {
                char *path = NULL;
                if (asprintf(&path, "%s/%s", package, links[i][0]) < 0)
                        return -ENOMEM;
                if (access(path, F_OK) < 0 && symlink(links[i][1], path) < 0)
                        r = -errno;
                free(path);
        }
        return r;
}

/* PACKAGE/bin as a directory holding `file` with `content`, PACKAGE/sbin a link. */
static int package_with(const char *package, const char *file, const char *content) {
        char *bin = NULL, *path = NULL, *sbin = NULL;
        int r;

        if (asprintf(&bin, "%s/bin", package) < 0 || asprintf(&path, "%s/%s", bin, file) < 0 ||
            asprintf(&sbin, "%s/sbin", package) < 0) {
                free(bin);
                free(path);
                return -ENOMEM;
        }
        r = mkdir_p(bin, 0755);
        if (r >= 0)
                r = write_file_string(path, content, 0755);
        if (r >= 0 && access(sbin, F_OK) < 0 && symlink("/usr/sbin", sbin) < 0)
                r = -errno;
        free(bin);
        free(path);
        free(sbin);
        return r;
}

static char *package_of(const char *entry) {
        const char *slash;

        if (strncmp(entry, "/nix/store/", 11) != 0)
                return NULL;
        slash = strchr(entry + 11, '/');
        return slash ? strndup(entry, (size_t) (slash - entry)) : strdup(entry);
}

int live_store_packages(const char *unit_path, const char *nspawn_fake, const char *nspawn_real, char **ret_error) {
        char *systemd = package_of(nspawn_fake), *copy = strdup(unit_path), *save = NULL, *nspawn_wrapper = NULL;
        int r = 0;

        *ret_error = NULL;
        if (!systemd || !copy) {
                free(systemd);
                free(copy);
                if (asprintf(ret_error, "argv[0] %s is not in the store", nspawn_fake) < 0)
                        *ret_error = NULL;
                return -EINVAL;
        }
        /* exec ${config.systemd.package}/bin/systemd-nspawn ...: the real one,
         * with only --register=no added (no machined here). */
        if (asprintf(&nspawn_wrapper,
                     "#!/bin/sh\n"
                     "# The live tier's systemd-nspawn: records the argv the start script execs, runs the real one.\n"
                     "printf '%%s\\0' \"$0\" \"$@\" > \"/run/live/argv.$INSTANCE\"\n"
                     "exec %s --register=no \"$@\"\n",
                     nspawn_real) < 0) {
                free(systemd);
                free(copy);
                return -ENOMEM;
        }
        r = package_with(systemd, "systemd-nspawn", nspawn_wrapper);
        if (r >= 0) {
                char *path = NULL;
                r = asprintf(&path, "%s/bin/machinectl", systemd) < 0 ? -ENOMEM
                                                                       : write_file_string(path, machinectl_stub, 0755);
                free(path);
        }
        for (char *entry = strtok_r(copy, ":", &save); r >= 0 && entry; entry = strtok_r(NULL, ":", &save)) {
                char *package = package_of(entry);
                if (!package)
                        continue; /* not a store path: nothing to provide */
                if (strcmp(package, systemd) == 0)
                        ;
                else if (strstr(package, "-iproute2-"))
                        r = package_with(package, "ip", ip_wrapper);
                else
                        r = package_links(package);
                if (r < 0 && asprintf(ret_error, "%s: %s", package, strerror(-r)) < 0)
                        *ret_error = NULL;
                free(package);
        }
        if (r < 0 && !*ret_error && asprintf(ret_error, "%s: %s", systemd, strerror(-r)) < 0)
                *ret_error = NULL;
        free(systemd);
        free(copy);
        free(nspawn_wrapper);
        return r;
}
