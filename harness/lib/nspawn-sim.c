#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netns.h"
#include "nspawn-sim.h"
#include "siphash24.h"

/* Options of systemd-nspawn v252 that take an argument, in their forms that
 * may give it as the next word. */
static bool takes_argument(const char *option) {
        static const char *const with_argument[] = {
                "-D", "--directory", "-M", "--machine", "-E", "--setenv", "-u", "--user", "-S", "--slice",
                "-L", "--selinux-apifs-context", "-Z", "--selinux-context", "-p", "--port", "--template",
                "--bind", "--bind-ro", "--tmpfs", "--overlay", "--overlay-ro", "--capability",
                "--drop-capability", "--network-interface", "--network-macvlan", "--network-ipvlan",
                "--network-bridge", "--network-zone", "--network-veth-extra", "--network-namespace-path",
                "--link-journal", "--kill-signal", "--personality", "--image", "-i", "--uuid", "--property",
                "--chdir", "--pivot-root", "--settings", "--notify-ready", "--hostname", "--rlimit",
                "--oom-score-adjust", "--cpu-affinity", "--resolv-conf", "--timezone", "--console",
                "--root-hash", "--root-hash-sig", "--verity-data", "--inaccessible", "--register",
                "--private-users-ownership", "--load-credential", "--set-credential", "--bind-user",
                "--system-call-filter", NULL,
        };
        for (size_t i = 0; with_argument[i]; i++)
                if (strcmp(option, with_argument[i]) == 0)
                        return true;
        return false;
}

static int refuse(nspawn_network *n, const char *option, const char *value) {
        if (!n->refused && asprintf(&n->refused, "%s=%s", option, value) < 0)
                return -ENOMEM;
        return 0;
}

/* src/nspawn/nspawn-network.c veth_extra_parse(): HOST[:CONTAINER]; a
 * missing or invalid CONTAINER is HOST; a third field is refused. */
static int parse_veth_extra(nspawn_network *n, const char *value) {
        const char *colon = strchr(value, ':');
        char *host = colon ? strndup(value, (size_t) (colon - value)) : strdup(value);
        const char *container = colon ? colon + 1 : NULL;
        int r = 0;

        if (!host)
                return -ENOMEM;
        if (!netns_ifname_valid(host) || (container && strchr(container, ':')))
                r = refuse(n, "--network-veth-extra", value);
        else {
                r = nc_strv_push(&n->extra_host, host);
                if (r >= 0)
                        r = nc_strv_push(&n->extra_container,
                                         container && netns_ifname_valid(container) ? container : host);
        }
        free(host);
        return r;
}

static int set_string(char **to, const char *value) {
        char *copy = strdup(value);
        if (!copy)
                return -ENOMEM;
        free(*to);
        *to = copy;
        return 0;
}

static int apply_option(nspawn_network *n, const char *option, const char *value) {
        if (strcmp(option, "-M") == 0 || strcmp(option, "--machine") == 0)
                return set_string(&n->machine, value);
        if (strcmp(option, "-E") == 0 || strcmp(option, "--setenv") == 0)
                return strchr(value, '=') ? nc_strv_push(&n->setenv, value) : 0;
        if (strcmp(option, "--private-network") == 0) {
                n->private_network = true;
                return 0;
        }
        if (strcmp(option, "-n") == 0 || strcmp(option, "--network-veth") == 0) {
                n->private_network = n->veth = true;
                return 0;
        }
        if (strncmp(option, "--network-", 10) != 0)
                return 0;
        n->private_network = true;
        if (strcmp(option, "--network-bridge") == 0) {
                n->veth = true;
                if (!netns_ifname_valid(value))
                        return refuse(n, option, value);
                return set_string(&n->bridge, value);
        }
        if (strcmp(option, "--network-veth-extra") == 0)
                return parse_veth_extra(n, value);
        if (strcmp(option, "--network-interface") == 0 || strcmp(option, "--network-macvlan") == 0) {
                if (!netns_ifname_valid(value))
                        return refuse(n, option, value);
                return nc_strv_push(strcmp(option, "--network-interface") == 0 ? &n->interfaces : &n->macvlans,
                                    value);
        }
        /* --network-zone, --network-ipvlan, --network-namespace-path: no
         * module line produces them; the tier does not simulate them. */
        return refuse(n, option, value ? value : "");
}

int nspawn_network_parse(const nc_strv *argv, nspawn_network *ret) {
        nspawn_network n = { 0 };
        int r = 0;

        for (size_t i = 1; r >= 0 && i < argv->n; i++) {
                const char *word = argv->items[i], *eq;
                char *option;
                if (strcmp(word, "--") == 0 || word[0] != '-' || word[1] == '\0')
                        break;
                eq = word[1] == '-' ? strchr(word, '=') : NULL;
                option = eq ? strndup(word, (size_t) (eq - word)) : strdup(word);
                if (!option) {
                        r = -ENOMEM;
                        break;
                }
                if (eq)
                        r = apply_option(&n, option, eq + 1);
                else if (takes_argument(option)) {
                        if (i + 1 < argv->n)
                                r = apply_option(&n, option, argv->items[++i]);
                } else
                        r = apply_option(&n, option, NULL);
                free(option);
        }
        if (r >= 0 && !n.machine)
                r = -EINVAL;
        if (r < 0) {
                nspawn_network_clear(&n);
                return r;
        }
        *ret = n;
        return 0;
}

int nspawn_network_read_golden(const fixture *f, const char *name, nc_strv *ret_argv, nspawn_network *ret) {
        int r = golden_read_argv(f, name, ret_argv);

        if (r == -ENOENT) {
                fprintf(stderr, "%s: no golden %s.argv\n", f->id, name);
                return r;
        }
        if (r >= 0)
                r = nspawn_network_parse(ret_argv, ret);
        if (r < 0)
                fprintf(stderr, "%s: %s.argv: cannot read nspawn's options: %s\n", f->id, name, strerror(-r));
        return r;
}

void nspawn_network_clear(nspawn_network *n) {
        free(n->machine);
        free(n->bridge);
        free(n->refused);
        nc_strv_clear(&n->interfaces);
        nc_strv_clear(&n->extra_host);
        nc_strv_clear(&n->extra_container);
        nc_strv_clear(&n->macvlans);
        nc_strv_clear(&n->setenv);
        memset(n, 0, sizeof *n);
}

void nspawn_veth_host_name(const nspawn_network *n, char ret_name[16], char **ret_full_name) {
        char *full = NULL;

        /* setup_veth(): "vb-" with a bridge or zone, "ve-" otherwise. */
        if (asprintf(&full, "%s%s", n->bridge ? "vb-" : "ve-", n->machine) < 0)
                full = NULL;
        if (!full || !nspawn_shorten_ifname(full, ret_name)) {
                if (!full)
                        strcpy(ret_name, "ve-");
                free(full);
                full = NULL;
        }
        *ret_full_name = full;
}

static int failed(char **ret_failed_option, const char *option, const char *value) {
        if (asprintf(ret_failed_option, "%s%s%s", option, value ? "=" : "", value ? value : "") < 0)
                *ret_failed_option = NULL;
        return -EIO;
}

int nspawn_sim_run(const nspawn_network *n, pid_t container_pid, char **ret_failed_option, char **ret_error) {
        char host[NETNS_IFNAMSIZ], *full = NULL;
        int pid = (int) container_pid, r;

        *ret_failed_option = *ret_error = NULL;
        if (n->refused) {
                *ret_failed_option = strdup(n->refused);
                *ret_error = strdup("refused by systemd-nspawn's option parser");
                return -EINVAL;
        }
        if (!n->private_network)
                return 0;

        /* move_network_interfaces(): RTM_SETLINK with IFLA_NET_NS_PID; the
         * name is kept (HOST:CONTAINER renaming only came in v254). */
        for (size_t i = 0; i < n->interfaces.n; i++)
                if (netns_ip(-1, ret_error, "link set dev %s netns %d", n->interfaces.items[i], pid) < 0)
                        return failed(ret_failed_option, "--network-interface", n->interfaces.items[i]);

        if (n->veth) {
                /* setup_veth(): one RTM_NEWLINK, the peer "host0" created in the
                 * container's namespace; neither end is brought up. */
                nspawn_veth_host_name(n, host, &full);
                r = netns_ip(-1, ret_error, "link add %s type veth peer name host0 netns %d", host, pid);
                /* A shortened name keeps the full one as an altname; failing
                 * to set it is only a warning. */
                if (r >= 0 && full) {
                        char *ignored = NULL;
                        (void) netns_ip(-1, &ignored, "link property add dev %s altname %s", host, full);
                        free(ignored);
                }
                free(full);
                if (r < 0)
                        return failed(ret_failed_option, n->bridge ? "--network-bridge" : "--network-veth", n->bridge);
                /* setup_bridge() -> join_bridge(): IFLA_MASTER and IFF_UP in one
                 * RTM_SETLINK; the bridge must exist. */
                if (n->bridge && netns_ip(-1, ret_error, "link set dev %s master %s up", host, n->bridge) < 0)
                        return failed(ret_failed_option, "--network-bridge", n->bridge);
        }

        /* setup_veth_extra(): names taken as given, not prefixed, not
         * shortened, not brought up. */
        for (size_t i = 0; i < n->extra_host.n; i++)
                if (netns_ip(-1, ret_error, "link add %s type veth peer name %s netns %d", n->extra_host.items[i],
                             n->extra_container.items[i], pid) < 0)
                        return failed(ret_failed_option, "--network-veth-extra", n->extra_host.items[i]);

        /* setup_macvlan(): "mv-IF" on IF, mode bridge, created in the
         * container's namespace. A shortened name gets no altname: v252 sets
         * it by name through the host's netlink socket after the link went to
         * the container, and only warns "Failed to set alternative interface
         * name ... No such device" (seen with systemd-nspawn 252.39). */
        for (size_t i = 0; i < n->macvlans.n; i++) {
                char *name = NULL;
                char shortened[NETNS_IFNAMSIZ];
                if (asprintf(&name, "mv-%s", n->macvlans.items[i]) < 0)
                        return -ENOMEM;
                nspawn_shorten_ifname(name, shortened);
                free(name);
                if (netns_ip(-1, ret_error, "link add link %s name %s netns %d type macvlan mode bridge",
                             n->macvlans.items[i], shortened, pid) < 0)
                        return failed(ret_failed_option, "--network-macvlan", n->macvlans.items[i]);
        }
        return 0;
}
