#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "netns.h"
#include "prestate.h"
#include "strv.h"

typedef struct prestate {
        nc_strv bridges;
        nc_strv bridge_addresses; /* "BRIDGE ADDRESS" */
        nc_strv interfaces;
} prestate;

static void prestate_clear(prestate *p) {
        nc_strv_clear(&p->bridges);
        nc_strv_clear(&p->bridge_addresses);
        nc_strv_clear(&p->interfaces);
}

static int add_name(nc_strv *to, const char *name) {
        if (!name || !netns_ifname_valid(name))
                return 0;
        return strv_push_unique(to, name);
}

/* Adds the interface names in `value`, split on whitespace. */
static int add_names(nc_strv *to, const json_t *value) {
        nc_strv words = { 0 };
        int r;

        if (!json_is_string(value))
                return 0;
        r = split_words(json_string_value(value), &words);
        for (size_t i = 0; r >= 0 && i < words.n; i++)
                r = add_name(to, words.items[i]);
        nc_strv_clear(&words);
        return r;
}

static int derive(const fixture *f, const nspawn_network *networks, size_t n, prestate *p) {
        json_t *containers = json_loads(f->containers_json, JSON_DECODE_ANY, NULL), *container, *veth, *item;
        const char *name, *veth_name;
        size_t i;
        int r = 0;

        if (!containers)
                return -EINVAL;
        json_object_foreach(containers, name, container) {
                if (r >= 0)
                        r = add_names(&p->bridges, json_object_get(container, "hostBridge"));
                json_object_foreach(json_object_get(container, "extraVeths"), veth_name, veth)
                        if (r >= 0)
                                r = add_names(&p->bridges, json_object_get(veth, "hostBridge"));
                json_array_foreach(json_object_get(container, "interfaces"), i, item)
                        if (r >= 0)
                                r = add_names(&p->interfaces, item);
                json_array_foreach(json_object_get(container, "macvlans"), i, item)
                        if (r >= 0)
                                r = add_names(&p->interfaces, item);
        }
        json_decref(containers);
        for (i = 0; r >= 0 && i < n; i++) {
                r = add_name(&p->bridges, networks[i].bridge);
                for (size_t j = 0; r >= 0 && j < networks[i].interfaces.n; j++)
                        r = add_name(&p->interfaces, networks[i].interfaces.items[j]);
                for (size_t j = 0; r >= 0 && j < networks[i].macvlans.n; j++)
                        r = add_name(&p->interfaces, networks[i].macvlans.items[j]);
        }
        return r;
}

static int from_host_section(const fixture *f, prestate *p, char **ret_error) {
        json_t *host = json_loads(f->host_json, JSON_DECODE_ANY, NULL), *addresses, *item;
        const char *bridge;
        size_t i;
        int r = 0;

        if (!json_is_object(host)) {
                json_decref(host);
                *ret_error = strdup("\"host\" must be an object");
                return -EINVAL;
        }
        json_object_foreach(json_object_get(host, "bridges"), bridge, addresses) {
                if (r >= 0 && !netns_ifname_valid(bridge))
                        r = -EINVAL;
                if (r >= 0)
                        r = nc_strv_push(&p->bridges, bridge);
                json_array_foreach(addresses, i, item) {
                        char *line;
                        if (r < 0)
                                break;
                        if (!json_is_string(item) || strchr(json_string_value(item), ' ')) {
                                r = -EINVAL;
                                break;
                        }
                        if (asprintf(&line, "%s %s", bridge, json_string_value(item)) < 0) {
                                r = -ENOMEM;
                                break;
                        }
                        r = nc_strv_push(&p->bridge_addresses, line);
                        free(line);
                }
        }
        json_array_foreach(json_object_get(host, "interfaces"), i, item) {
                if (r >= 0 && (!json_is_string(item) || !netns_ifname_valid(json_string_value(item))))
                        r = -EINVAL;
                if (r >= 0)
                        r = nc_strv_push(&p->interfaces, json_string_value(item));
        }
        json_decref(host);
        if (r == -EINVAL)
                *ret_error = strdup("\"host\": bridges are {NAME: [ADDRESS...]}, interfaces [NAME...], "
                                    "with valid interface names");
        return r;
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static void sort(nc_strv *v) {
        if (v->n)
                qsort(v->items, v->n, sizeof(char *), compare_strings);
}

int prestate_apply(const fixture *f, const nspawn_network *networks, size_t n, char **ret_error) {
        prestate p = { 0 };
        int r;

        *ret_error = NULL;
        r = f->host_json ? from_host_section(f, &p, ret_error) : derive(f, networks, n, &p);
        sort(&p.bridges);
        sort(&p.interfaces);
        for (size_t i = 0; r >= 0 && i < p.bridges.n; i++) {
                r = netns_ip(-1, ret_error, "link add %s type bridge", p.bridges.items[i]);
                if (r >= 0)
                        r = netns_ip(-1, ret_error, "link set dev %s up", p.bridges.items[i]);
        }
        /* In the order the fixture lists them. */
        for (size_t i = 0; r >= 0 && i < p.bridge_addresses.n; i++) {
                const char *space = strchr(p.bridge_addresses.items[i], ' ');
                r = netns_ip(-1, ret_error, "addr add %s dev %.*s", space + 1,
                             (int) (space - p.bridge_addresses.items[i]), p.bridge_addresses.items[i]);
        }
        for (size_t i = 0; r >= 0 && i < p.interfaces.n; i++) {
                const char *name = p.interfaces.items[i];
                /* The peer's name must fit in 15 bytes too. */
                r = netns_ip(-1, ret_error, "link add %s type veth peer name %.13s-p", name, name);
                if (r >= 0)
                        r = netns_ip(-1, ret_error, "link set dev %s up", name);
        }
        if (r < 0 && !*ret_error)
                *ret_error = strdup(strerror(-r));
        prestate_clear(&p);
        return r;
}
