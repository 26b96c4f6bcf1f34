#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "error.h"
#include "ip-address.h"
#include "net-plan.h"
#include "netlink.h"
#include "shell-words.h"

static char *step_text(nc_step_kind kind, bool ipv6, const char *dev, const char *value) {
        const char *ip = ipv6 ? "ip -6" : "ip";
        char *text = NULL;
        int n = -1;

        switch (kind) {
        case NC_STEP_LINK_UP: n = asprintf(&text, "ip link set dev %s up", dev); break;
        case NC_STEP_LINK_RENAME: n = asprintf(&text, "ip link set %s name %s", dev, value); break;
        case NC_STEP_LINK_ADDRESS: n = asprintf(&text, "ip link set dev %s address %s", dev, value); break;
        case NC_STEP_LINK_MASTER_UP: n = asprintf(&text, "ip link set dev %s master %s up", dev, value); break;
        /* A value that vanished (hostAddress = "") leaves no word: `ip addr add dev ve-web`. */
        case NC_STEP_ADDRESS_ADD:
                n = asprintf(&text, "%s addr add %s%sdev %s", ip, value ? value : "", value ? " " : "", dev);
                break;
        case NC_STEP_ROUTE_ADD:
                n = asprintf(&text, "%s route add %s%sdev %s", ip, value ? value : "", value ? " " : "", dev);
                break;
        case NC_STEP_DEFAULT_ROUTE_ADD:
                n = asprintf(&text, "%s route add default via%s%s", ip, value ? " " : "", value ? value : "");
                break;
        }
        return n < 0 ? NULL : text;
}

static void step_clear(nc_step *step) {
        free(step->dev);
        free(step->value);
        free(step->text);
}

int nc_plan_add(nc_plan *plan, nc_step_kind kind, bool ipv6, const char *dev, const char *value) {
        _cleanup_(step_clear) nc_step step = { .kind = kind, .ipv6 = ipv6 };

        if (NC_GROW(plan->steps, plan->capacity, plan->n + 1, 16) < 0)
                return -ENOMEM;
        step.dev = dev ? strdup(dev) : NULL;
        step.value = value ? strdup(value) : NULL;
        step.text = step_text(kind, ipv6, dev, value);
        if ((dev && !step.dev) || (value && !step.value) || !step.text)
                return -ENOMEM;
        plan->steps[plan->n++] = TAKE_STRUCT(step);
        return 0;
}

void nc_plan_clear(nc_plan *plan) {
        for (size_t i = 0; i < plan->n; i++)
                step_clear(&plan->steps[i]);
        free(plan->steps);
        memset(plan, 0, sizeof *plan);
}

/* -ENODATA when the value gives no word at all ("" pasted into the script,
 * or an expansion of blanks), -ENOTSUP when it gives several. */
static int one_word(nc_strv *words, int r, char **ret_word) {
        if (r >= 0 && words->n != 1)
                r = words->n == 0 ? -ENODATA : -ENOTSUP;
        if (r >= 0) {
                *ret_word = words->items[0];
                words->items[0] = NULL;
                words->n = 0;
        }
        nc_strv_clear(words);
        return r;
}

int nc_plan_script_word(const char *text, const nc_env *env, char **ret_word) {
        nc_strv words = { 0 };
        bool ended = false;
        int r = nc_shell_parse_words(text, env, 0, &words, &ended, NULL);
        return one_word(&words, r >= 0 && ended ? -ENOTSUP : r, ret_word);
}

int nc_plan_expanded_word(const char *value, char **ret_word) {
        nc_strv words = { 0 };
        return one_word(&words, nc_shell_split(value, NC_SHELL_DEFAULT_IFS, &words), ret_word);
}

static int resolve(const char *text, nc_value_source source, const nc_env *env, char **ret) {
        if (!text || source == NC_VALUE_LITERAL) {
                *ret = NULL;
                return 0;
        }
        return source == NC_VALUE_SCRIPT ? nc_plan_script_word(text, env, ret) : nc_plan_expanded_word(text, ret);
}

int nc_plan_add_resolved(nc_plan *plan, nc_step_kind kind, bool ipv6, const nc_env *env, const char *dev,
                         nc_value_source dev_source, const char *value, nc_value_source value_source) {
        _cleanup_free_ char *dev_word = NULL, *value_word = NULL;
        int r = resolve(dev, dev_source, env, &dev_word);
        bool vanished = false;

        if (r == -ENODATA)
                r = -ENOTSUP;
        if (r >= 0)
                r = resolve(value, value_source, env, &value_word);
        /* `ip addr add  dev ve-web` (hostAddress = ""): bash passes no word
         * and `ip` fails at that step, after the steps before it; the step
         * is kept without its value so that running the plan fails there
         * too. Elsewhere a missing word cannot be reproduced. */
        if (r == -ENODATA &&
            (kind == NC_STEP_ADDRESS_ADD || kind == NC_STEP_ROUTE_ADD || kind == NC_STEP_DEFAULT_ROUTE_ADD))
                vanished = true, r = 0;
        else if (r == -ENODATA)
                r = -ENOTSUP;
        if (r >= 0)
                r = nc_plan_add(plan, kind, ipv6, dev_word ? dev_word : dev,
                                vanished ? NULL : value_word ? value_word : value);
        return r;
}

/* renderExtraVeth of postStart and of containerInit: each side adds its
 * own addresses and routes to the other side's. */
static int plan_extra_veth(nc_plan *plan, const nc_env *env, const nc_extra_veth *veth, nc_plan_side side) {
        const nc_network *n = &veth->network;
        bool host = side == NC_PLAN_HOST;
        const struct {
                nc_step_kind kind;
                bool ipv6;
                const char *value;
        } steps[] = {
                /* ${optionalString (cfg.hostAddress != null) "ip addr add ${cfg.hostAddress} dev ${name}"} (host) */
                { NC_STEP_ADDRESS_ADD, false, host ? n->host_address : n->local_address },
                { NC_STEP_ADDRESS_ADD, true, host ? n->host_address6 : n->local_address6 },
                /* ${optionalString (cfg.localAddress != null) "ip route add ${cfg.localAddress} dev ${name}"} (host) */
                { NC_STEP_ROUTE_ADD, false, host ? n->local_address : n->host_address },
                { NC_STEP_ROUTE_ADD, true, host ? n->local_address6 : n->host_address6 },
        };
        int r;

        /* if cfg.hostBridge != null then "ip link set dev ${name} master ${cfg.hostBridge} up" (postStart only) */
        if (host && n->host_bridge)
                return nc_plan_add_resolved(plan, NC_STEP_LINK_MASTER_UP, false, env, veth->name, NC_VALUE_SCRIPT,
                                            n->host_bridge, NC_VALUE_SCRIPT);
        /* ip link set dev ${name} up */
        r = nc_plan_add_resolved(plan, NC_STEP_LINK_UP, false, env, veth->name, NC_VALUE_SCRIPT, NULL,
                                 NC_VALUE_LITERAL);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(steps); i++)
                if (steps[i].value)
                        r = nc_plan_add_resolved(plan, steps[i].kind, steps[i].ipv6, env, veth->name, NC_VALUE_SCRIPT,
                                                 steps[i].value, NC_VALUE_SCRIPT);
        return r;
}

int nc_plan_extra_veths(nc_plan *plan, const nc_container *container, const nc_env *env, nc_plan_side side) {
        int r = 0;

        for (size_t i = 0; container && i < container->n_extra_veths && r >= 0; i++)
                r = plan_extra_veth(plan, env, &container->extra_veths[i], side);
        return r;
}

static int fail(nc_error *error, const nc_step *step, int r, const char *why) {
        return nc_error_set(error, r, "%s: %s", step->text, why);
}

/* The kernel's refusal of a step, in its extended-ack text (else errno's).
 * Its EOPNOTSUPP (a master that is no bridge: do_set_master() in the
 * kernel's net/core/rtnetlink.c; `ip` says "Operation not supported") is
 * returned as -EINVAL, a value the step cannot use: -EOPNOTSUPP is
 * -ENOTSUP, which the network functions return only for a value they
 * cannot reproduce, before any step (a caller maps it to bad input). */
static int kernel_fail(nc_netlink *nl, nc_error *error, const nc_step *step, int r) {
        const char *text = nc_nl_kernel_message(nl);

        fail(error, step, r, text[0] ? text : strerror(-r));
        return r == -EOPNOTSUPP ? -EINVAL : r;
}

/* The indexes of the links one run has resolved, by the name it asked for.
 * The script runs `ip` once per step and each `ip` resolves its names
 * again; between two steps of one run only the run itself renames a link
 * (`ip link set host0 name eth0`, containerInit), so remembering what it
 * resolved asks the kernel the same questions once instead of once a step.
 * (It also halves the run's round trips, make bench row 1.) */
enum { NC_PLAN_MEMO_MAX = 32 };

typedef struct link_memo {
        const char *names[NC_PLAN_MEMO_MAX];
        int ifindexes[NC_PLAN_MEMO_MAX];
        size_t n;
} link_memo;

static int memo_find(const link_memo *memo, const char *name) {
        for (size_t i = 0; i < memo->n; i++)
                if (strcmp(memo->names[i], name) == 0)
                        return memo->ifindexes[i];
        return 0;
}

static void memo_remember(link_memo *memo, const char *name, int ifindex) {
        if (memo->n < NC_PLAN_MEMO_MAX) {
                memo->names[memo->n] = name;
                memo->ifindexes[memo->n++] = ifindex;
        }
}

/* After a rename, every name the link had been found by is forgotten (the
 * old name is gone; an altname still works, but the kernel says so). */
static void memo_renamed(link_memo *memo, int ifindex, const char *new_name) {
        size_t kept = 0;
        for (size_t i = 0; i < memo->n; i++)
                if (memo->ifindexes[i] != ifindex) {
                        memo->names[kept] = memo->names[i];
                        memo->ifindexes[kept++] = memo->ifindexes[i];
                }
        memo->n = kept;
        memo_remember(memo, new_name, ifindex);
}

/* RTM_GETLINK as ll_name_to_index() asks, unless this run already has the
 * answer. -ENODEV/-EINVAL (no such link, or a name the kernel refuses) are
 * left to the caller, which words them as the `ip` subcommand would. */
static int lookup_link(nc_netlink *nl, link_memo *memo, const char *name, int *ret_ifindex) {
        nc_nl_link link;
        int ifindex = memo_find(memo, name), r;

        if (ifindex > 0) {
                *ret_ifindex = ifindex;
                return 0;
        }
        r = nc_nl_link_get(nl, name, &link);
        if (r < 0)
                return r;
        memo_remember(memo, name, link.ifindex);
        *ret_ifindex = link.ifindex;
        return 0;
}

static int find_link(nc_netlink *nl, link_memo *memo, const nc_step *step, const char *name, int *ret_ifindex,
                     nc_error *error) {
        char why[300];
        int r = lookup_link(nl, memo, name, ret_ifindex);

        if (r == -ENODEV || r == -EINVAL) {
                snprintf(why, sizeof why, "Cannot find device \"%.200s\"", name);
                return fail(error, step, -ENODEV, why);
        }
        if (r < 0)
                return kernel_fail(nl, error, step, r);
        return 0;
}

/* get_prefix()/get_addr() failures, in iproute2's words. */
static int parse_fail(nc_error *error, const nc_step *step, int family, const char *what, const char *value) {
        char why[300];
        snprintf(why, sizeof why, "Error: %s %s is expected rather than \"%.200s\".", nc_ip_family_name(family), what,
                 value);
        return fail(error, step, -EINVAL, why);
}

/* iproute2's ll_addr_a2n() (lib/ll_addr.c): bytes in hex, split at ':';
 * a byte over 255 or a part that is not hex is refused. Returns the
 * number of bytes, or -EINVAL. */
static int parse_lladdr(const char *text, uint8_t *out, size_t size) {
        size_t n = 0;

        for (const char *p = text;; n++) {
                char *end;
                unsigned long byte;

                if (n == size || !isxdigit((unsigned char) *p))
                        return -EINVAL;
                byte = strtoul(p, &end, 16);
                if (byte > 255 || (*end && *end != ':'))
                        return -EINVAL;
                out[n] = (uint8_t) byte;
                if (!*end)
                        return (int) n + 1;
                p = end + 1;
        }
}

static int run_step(nc_netlink *nl, link_memo *memo, const nc_step *step, nc_error *error) {
        int family = step->ipv6 ? AF_INET6 : AF_UNSPEC;
        nc_nl_link_settings change = { 0 };
        uint8_t lladdr[32];
        nc_ip_prefix prefix, gateway;
        int ifindex = 0, r;

        switch (step->kind) {
        case NC_STEP_LINK_UP:
        case NC_STEP_LINK_RENAME:
                if ((r = find_link(nl, memo, step, step->dev, &ifindex, error)) < 0)
                        return r;
                change.set_up = step->kind == NC_STEP_LINK_UP;
                change.new_name = step->kind == NC_STEP_LINK_RENAME ? step->value : NULL;
                break;
        case NC_STEP_LINK_ADDRESS: {
                int n = parse_lladdr(step->value, lladdr, sizeof lladdr);
                if (n < 0) {
                        char why[300];
                        snprintf(why, sizeof why, "Error: \"%.200s\" is invalid lladdr.", step->value);
                        return fail(error, step, -EINVAL, why);
                }
                if ((r = find_link(nl, memo, step, step->dev, &ifindex, error)) < 0)
                        return r;
                change.address = lladdr;
                change.address_len = (size_t) n;
                break;
        }
        case NC_STEP_LINK_MASTER_UP: {
                int master_ifindex = 0;
                /* iplink_parse() resolves `master` as it reads it, before `dev`. */
                r = lookup_link(nl, memo, step->value, &master_ifindex);
                if (r == -ENODEV || r == -EINVAL) {
                        char why[300];
                        snprintf(why, sizeof why, "Error: argument \"%.200s\" is wrong: Device does not exist",
                                 step->value);
                        return fail(error, step, -ENODEV, why);
                }
                if (r < 0)
                        return kernel_fail(nl, error, step, r);
                if ((r = find_link(nl, memo, step, step->dev, &ifindex, error)) < 0)
                        return r;
                change.master_ifindex = master_ifindex;
                change.set_up = true;
                break;
        }
        case NC_STEP_ADDRESS_ADD:
                if (step->value && nc_ip_parse_prefix(step->value, family, &prefix) < 0)
                        return parse_fail(error, step, family, "prefix", step->value);
                if ((r = find_link(nl, memo, step, step->dev, &ifindex, error)) < 0)
                        return r;
                /* No value (hostAddress = ""): ipaddr_modify() sends no
                 * address. "all", "any" (and "default" without -6): one
                 * of no bytes. The kernel refuses both (EOPNOTSUPP without
                 * a family, EINVAL with -6) with its own text, returned as
                 * -EINVAL (kernel_fail()), a value `ip` cannot use. */
                r = nc_nl_address_add(nl, ifindex, family, step->value ? &prefix : NULL);
                return r < 0 ? kernel_fail(nl, error, step, r) : r;
        case NC_STEP_ROUTE_ADD:
                /* iproute_modify() without a destination prints its usage. */
                if (!step->value)
                        return fail(error, step, -EINVAL, "no destination; ip prints its usage (exit 255)");
                /* `ip route add any dev D`: "any" is the route type anycast,
                 * and "dev" the destination */
                if (nc_ip_is_route_type(step->value))
                        return parse_fail(error, step, family, "prefix", "dev");
                if (nc_ip_parse_prefix(step->value, family, &prefix) < 0)
                        return parse_fail(error, step, family, "prefix", step->value);
                if ((r = find_link(nl, memo, step, step->dev, &ifindex, error)) < 0)
                        return r;
                /* iproute_modify(): the family of the destination, else inet. */
                r = nc_nl_route_add(nl, prefix.family != AF_UNSPEC ? prefix.family : AF_INET, &prefix, NULL, ifindex);
                return r < 0 ? kernel_fail(nl, error, step, r) : 0;
        case NC_STEP_DEFAULT_ROUTE_ADD:
                /* NEXT_ARG() after `via` */
                if (!step->value)
                        return fail(error, step, -EINVAL, "Command line is not complete. Try option \"help\"");
                if (nc_ip_parse_prefix("default", family, &prefix) < 0)
                        return parse_fail(error, step, family, "prefix", "default");
                if (nc_ip_parse_address(step->value, family, &gateway) < 0 || gateway.byte_len == 0)
                        return parse_fail(error, step, family, "address", step->value);
                r = nc_nl_route_add(nl, gateway.family, &prefix, &gateway, 0);
                return r < 0 ? kernel_fail(nl, error, step, r) : 0;
        }
        r = nc_nl_link_change(nl, ifindex, &change);
        if (r < 0)
                return kernel_fail(nl, error, step, r);
        if (change.new_name)
                memo_renamed(memo, ifindex, change.new_name);
        return 0;
}

int nc_plan_build_and_run(nc_netlink *nl, nc_plan_builder build, const char *stage, const nc_container *container,
                          const nc_env *env, nc_error *error) {
        _cleanup_(nc_plan_clear) nc_plan plan = { 0 };
        _cleanup_(nc_netlink_freep) nc_netlink *own = NULL;
        int r = build(&plan, container, env);

        if (r == -ENOTSUP)
                return nc_error_set(error, r, "%s: a value would reach `ip` as several arguments in the original "
                                              "script; that cannot be reproduced", stage);
        if (r < 0)
                return nc_error_set(error, r, "%s: out of memory", stage);
        /* Nothing to do: the script runs no `ip` then (and a container
         * without a private network has no CAP_NET_ADMIN). */
        if (plan.n == 0)
                return 0;
        if ((r = nc_netlink_open_unless_given(&nl, &own, error)) < 0)
                return r;
        return nc_plan_run(nl, &plan, error);
}

int nc_plan_run(nc_netlink *nl, const nc_plan *plan, nc_error *error) {
        link_memo memo = { .n = 0 };

        for (size_t i = 0; i < plan->n; i++) {
                int r = run_step(nl, &memo, &plan->steps[i], error);
                if (r < 0)
                        return r;
        }
        return 0;
}
