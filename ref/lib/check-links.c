/* extraVeths whose names meet other links: preStart deletes, by name,
 * ve-$INSTANCE, vb-$INSTANCE and every extraVeth
 *   ip link del dev ${name} 2> /dev/null || true
 * and systemd-nspawn creates each (--network-veth-extra=NAME), which fails
 * while a link of that name exists. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "check-internal.h"

/* Whether `name` is "PREFIX" + container (ve-NAME, vb-NAME). */
static bool is_veth_of(const char *name, const char *prefix, const nc_container *c) {
        size_t n = strlen(prefix);
        return strncmp(name, prefix, n) == 0 && strcmp(name + n, c->name) == 0;
}

static bool in_strv(const nc_strv *v, const char *s) {
        for (size_t i = 0; i < v->n; i++)
                if (strcmp(v->items[i], s) == 0)
                        return true;
        return false;
}

/* The finding for an extraVeth of `c` named like a link of `other` (may be c). */
static int name_clash(nc_check_findings *findings, const nc_container *c, const char *veth, const nc_container *other) {
        nc_check_finding *f;

        if (other == c)
                f = nc_check_add(findings, NC_CHECK_EXTRA_VETH_NAME, NC_CHECK_ERROR,
                                 "extraVeth %s of %s has the name of the container's own veth: systemd-nspawn "
                                 "cannot create both", veth, c->name);
        else
                f = nc_check_add(findings, NC_CHECK_EXTRA_VETH_NAME, NC_CHECK_ERROR,
                                 "extraVeth %s of %s has the name of %s's veth: the preStart of whichever "
                                 "starts second deletes the other's link by that name, and systemd-nspawn "
                                 "makes its own", veth, c->name, other->name);
        if (!f || nc_check_add_option(f, c->name, "extraVeths.%s", veth) < 0 ||
            (other != c && nc_check_add_option(f, other->name, "privateNetwork") < 0))
                return -ENOMEM;
        return 0;
}

static int check_veth(const nc_config *config, size_t index, const char *veth, nc_check_findings *findings) {
        const nc_container *c = &config->containers[index];
        nc_check_finding *f;

        if (in_strv(&c->interfaces, veth)) {
                f = nc_check_add(findings, NC_CHECK_EXTRA_VETH_IN_INTERFACES, NC_CHECK_ERROR,
                                 "%s is an extraVeth of %s and in its interfaces: systemd-nspawn is asked both to "
                                 "move the host's %s into the container and to create a veth of that name",
                                 veth, c->name, veth);
                if (!f || nc_check_add_option(f, c->name, "extraVeths.%s", veth) < 0 ||
                    nc_check_add_option(f, c->name, "interfaces") < 0)
                        return -ENOMEM;
        }
        /* The host's own links: lo is in every namespace and cannot be
         * deleted; eth0 is the usual name of a host's first Ethernet link. */
        if (strcmp(veth, "lo") == 0 || strcmp(veth, "eth0") == 0) {
                f = strcmp(veth, "lo") == 0
                            ? nc_check_add(findings, NC_CHECK_EXTRA_VETH_NAME, NC_CHECK_ERROR,
                                           "extraVeth lo of %s has the name of the loopback link, which every "
                                           "namespace has and preStart cannot delete: systemd-nspawn cannot "
                                           "create the veth", c->name)
                            : nc_check_add(findings, NC_CHECK_EXTRA_VETH_NAME, NC_CHECK_ERROR,
                                           "extraVeth eth0 of %s has the name of the host's usual first "
                                           "Ethernet link: %s's preStart deletes the host's eth0 by name",
                                           c->name, c->name);
                if (!f || nc_check_add_option(f, c->name, "extraVeths.%s", veth) < 0)
                        return -ENOMEM;
        }
        for (size_t o = 0; o < config->n_containers; o++) {
                const nc_container *other = &config->containers[o];
                int r = 0;

                if (is_veth_of(veth, "ve-", other) || is_veth_of(veth, "vb-", other))
                        r = name_clash(findings, c, veth, other);
                if (r < 0)
                        return r;
                /* Another's extraVeth of the same name: once, from the first. */
                for (size_t v = 0; o > index && v < other->n_extra_veths; v++)
                        if (strcmp(other->extra_veths[v].name, veth) == 0) {
                                f = nc_check_add(findings, NC_CHECK_EXTRA_VETH_SHARED, NC_CHECK_ERROR,
                                                 "extraVeth %s is defined by %s and %s: each one's preStart "
                                                 "deletes it by name and systemd-nspawn creates it, so the "
                                                 "second to start takes it from the first", veth, c->name,
                                                 other->name);
                                if (!f || nc_check_add_option(f, c->name, "extraVeths.%s", veth) < 0 ||
                                    nc_check_add_option(f, other->name, "extraVeths.%s", veth) < 0)
                                        return -ENOMEM;
                        }
        }
        return 0;
}

int nc_check_links(const nc_config *config, nc_check_findings *findings) {
        for (size_t i = 0; i < config->n_containers; i++)
                for (size_t v = 0; v < config->containers[i].n_extra_veths; v++) {
                        int r = check_veth(config, i, config->containers[i].extra_veths[v].name, findings);
                        if (r < 0)
                                return r;
                }
        return 0;
}
