#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "init-config.h"

int init_load_container(const char *path, bool explicit, const char *name, const char *hostname,
                        nc_config **ret_config, const nc_container **ret_container, nc_error *error) {
        const nc_container *container;
        nc_config *config = NULL;
        int r;

        if (access(path, F_OK) < 0) {
                /* Without the default config the init is the container@
                 * template's; a config named explicitly must be there. */
                if (explicit)
                        return nc_error_set(error, -ENOENT, "NIXCONTAINER_CONFIG=%s: %s", path, strerror(errno));
                *ret_config = NULL;
                *ret_container = NULL;
                return 0;
        }
        /* The release and stateVersion: the file's (the export format), else the defaults. */
        /* A definition refused blocks only its own container, not the others. */
        r = nc_config_load_file_flags(path, NC_MODE_COMPAT, NC_LOAD_KEEP_REFUSED, NULL, NULL, &config, error);
        if (r < 0)
                return r;
        if (!name && nc_config_count(config) == 1)
                name = nc_container_name(nc_config_at(config, 0));
        if (!name)
                name = hostname;
        container = name ? nc_config_find(config, name) : NULL;
        if (!container) {
                /* A config that holds other containers cannot set this one up. */
                size_t n = nc_config_count(config);
                nc_config_free(config);
                return nc_error_set(error, -ENOENT, "%s: no container %s%s%s in it (%zu container%s; set NIXCONTAINER_NAME)",
                                           path, name ? "\"" : "", name ? name : "named", name ? "\"" : "", n,
                                           n == 1 ? "" : "s");
        }
        if (nc_container_refusal(container)) {
                r = nc_error_set(error, -EINVAL, "%s: %s", path, nc_container_refusal(container));
                nc_config_free(config);
                return r;
        }
        *ret_config = config;
        *ret_container = container;
        return 0;
}
