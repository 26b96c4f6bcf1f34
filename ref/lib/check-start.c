/* Each container's start, in name order, against the kernel model
 * (net-model.h): preStart's deletions, systemd-nspawn's links, then
 * container-init's plan in the container's namespace and postStart's in
 * the host's, as the namespace tier orders them (harness/netns/). The
 * first failing step of a start becomes a finding. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "check-internal.h"
#include "host-setup.h"
#include "init-setup.h"
#include "net-model.h"
#include "script-env.h"

/* The links systemd-nspawn makes, read from the argv the start script
 * execs it with (nspawn's own options, which come before the init). */
typedef struct nspawn_links {
        bool veth;           /* --network-veth, or implied by --network-bridge= */
        bool bridge;         /* --network-bridge= */
        nc_strv extra_host;  /* --network-veth-extra=HOST[:CONTAINER] */
        nc_strv extra_inside;
} nspawn_links;

static void nspawn_links_clear(nspawn_links *l) {
        nc_strv_clear(&l->extra_host);
        nc_strv_clear(&l->extra_inside);
}

static int read_links(const nc_strv *argv, nspawn_links *l) {
        static const char extra[] = "--network-veth-extra=";

        for (size_t i = 1; i < argv->n; i++) {
                const char *w = argv->items[i], *colon;
                int r;

                if (strcmp(w, "--network-veth") == 0 || strcmp(w, "-n") == 0)
                        l->veth = true;
                else if (strncmp(w, "--network-bridge=", 17) == 0)
                        l->veth = l->bridge = true;
                else if (strncmp(w, extra, sizeof extra - 1) == 0) {
                        w += sizeof extra - 1;
                        colon = strchr(w, ':');
                        r = nc_strv_push_len(&l->extra_host, w, colon ? (size_t) (colon - w) : strlen(w));
                        if (r >= 0)
                                r = nc_strv_push(&l->extra_inside, colon ? colon + 1 : w);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* The option a step's value comes from: the extraVeth the step's link is,
 * else the container's own network. */
static int add_step_option(nc_check_finding *f, const nc_container *c, const nc_step *step) {
        const nc_network *n = &c->network;
        const char *veth = NULL;

        for (size_t v = 0; step->dev && v < c->n_extra_veths; v++)
                if (strcmp(c->extra_veths[v].name, step->dev) == 0) {
                        veth = c->extra_veths[v].name;
                        n = &c->extra_veths[v].network;
                }
        const struct {
                const char *option, *value;
        } options[] = {
                { "hostAddress", n->host_address },   { "hostAddress6", n->host_address6 },
                { "localAddress", n->local_address }, { "localAddress6", n->local_address6 },
        };
        for (size_t i = 0; step->value && i < ELEMENTSOF(options); i++)
                if (options[i].value && strcmp(options[i].value, step->value) == 0)
                        return veth ? nc_check_add_option(f, c->name, "extraVeths.%s.%s", veth, options[i].option)
                                    : nc_check_add_option(f, c->name, "%s", options[i].option);
        return veth ? nc_check_add_option(f, c->name, "extraVeths.%s", veth)
                    : nc_check_add_option(f, c->name, "privateNetwork");
}

static int set_failure(nc_check_finding *f, const char *unit, const char *stage, const nc_step *step, const char *why) {
        f->unit = strdup(unit);
        f->stage = strdup(stage);
        f->step = strdup(step->text);
        f->step_error = strdup(why);
        return f->unit && f->stage && f->step && f->step_error ? 0 : -ENOMEM;
}

static bool involves(const nc_check_finding *f, const char *name) {
        for (size_t i = 0; i < f->containers.n; i++)
                if (strcmp(f->containers.items[i], name) == 0)
                        return true;
        return false;
}

/* A failing step: to the address-shared finding it explains, or a finding
 * of its own. */
static int report(nc_check_findings *findings, const nc_container *c, const char *stage, const nc_step *step,
                  int r, const char *why) {
        nc_check_finding *f;

        if (r == -EEXIST)
                for (size_t i = 0; i < findings->n; i++) {
                        f = &findings->items[i];
                        if (f->kind == NC_CHECK_ADDRESS_SHARED && !f->step && involves(f, c->name))
                                return set_failure(f, c->name, stage, step, why);
                }
        if (r == -EINVAL && step->kind == NC_STEP_ROUTE_ADD && strstr(why, "Invalid prefix"))
                f = nc_check_add(findings, NC_CHECK_ROUTE_HOST_BITS, NC_CHECK_ERROR,
                                 "%s has a prefix and host bits: the kernel refuses the route to it, and %s of %s "
                                 "fails", step->value, stage, c->name);
        else
                f = nc_check_add(findings, NC_CHECK_STEP_FAILS, NC_CHECK_ERROR, "%s of %s fails", stage, c->name);
        if (!f || add_step_option(f, c, step) < 0)
                return -ENOMEM;
        return set_failure(f, c->name, stage, step, why);
}

/* Builds a plan and runs it on `model` up to its first failing step.
 * Returns 1 when a step failed (reported), 0, or -ENOMEM. A plan that
 * cannot be built (-ENOTSUP) is not run. */
static int run_plan(nc_check_findings *findings, nc_net_model *model, nc_plan_builder build, const char *stage,
                    const nc_container *c, const nc_env *env) {
        _cleanup_(nc_plan_clear) nc_plan plan = { 0 };
        int r = build(&plan, c, env);

        if (r == -ENOTSUP)
                return 1;
        for (size_t i = 0; r >= 0 && i < plan.n; i++) {
                char why[512];
                r = nc_net_model_run(model, &plan.steps[i], why, sizeof why);
                if (r < 0 && r != -ENOMEM) {
                        r = report(findings, c, stage, &plan.steps[i], r, why);
                        return r < 0 ? r : 1;
                }
        }
        return r < 0 ? r : 0;
}

static int start_environment(const nc_container *c, nc_env **ret_env) {
        _cleanup_free_ char *conf = NULL;
        size_t conf_len = 0;
        int r = nc_render_env_file(c, &conf, &conf_len);

        return r < 0 ? r : nc_unit_environment(c, c->name, NULL, conf, conf_len, ret_env, NULL);
}

/* preStart: ip link del dev "ve-$INSTANCE", "vb-$INSTANCE" (when an
 * address is set) and each extraVeth, errors ignored. */
static void prestart(nc_net_model *host, const nc_container *c, const nc_env *env) {
        if (nc_script_any_address(env)) {
                char name[300];
                snprintf(name, sizeof name, "ve-%s", c->name);
                nc_net_model_link_delete(host, name);
                snprintf(name, sizeof name, "vb-%s", c->name);
                nc_net_model_link_delete(host, name);
        }
        for (size_t v = 0; v < c->n_extra_veths; v++)
                nc_net_model_link_delete(host, c->extra_veths[v].name);
}

/* systemd-nspawn's links: ve-NAME (vb-NAME into the bridge) and host0,
 * and each extra veth's two ends. Returns 1 when a link exists already
 * (nspawn fails; the name findings say why), 0, or -ENOMEM. */
static int nspawn(nc_net_model *host, nc_net_model *inside, const nc_container *c, const nspawn_links *l) {
        char name[300];
        int r = nc_net_model_link_add(inside, "lo", NULL, true);

        snprintf(name, sizeof name, "%s-%s", l->bridge ? "vb" : "ve", c->name);
        if (r >= 0 && l->veth && (r = nc_net_model_link_add(host, name, c->name, l->bridge)) >= 0)
                r = nc_net_model_link_add(inside, "host0", NULL, false);
        for (size_t i = 0; r >= 0 && i < l->extra_host.n; i++)
                if ((r = nc_net_model_link_add(host, l->extra_host.items[i], c->name, false)) >= 0)
                        r = nc_net_model_link_add(inside, l->extra_inside.items[i], NULL, false);
        return r == -EEXIST ? 1 : r;
}

static int start(nc_check_findings *findings, nc_net_model *host, const nc_container *c) {
        _cleanup_(nc_env_freep) nc_env *env = NULL;
        _cleanup_(nc_strv_clear) nc_strv argv = { 0 };
        _cleanup_(nspawn_links_clear) nspawn_links links = { 0 };
        _cleanup_(nc_net_model_clear) nc_net_model inside = { 0 };
        nc_argv_request request = { .mode = NC_MODE_COMPAT };
        int r = start_environment(c, &env);

        if (r < 0)
                return r == -ENOMEM ? r : 0;
        prestart(host, c, env);
        r = nc_build_argv(c, env, &request, &argv, NULL);
        if (r < 0) /* the start script fails before nspawn */
                return r == -ENOMEM ? r : 0;
        if ((r = read_links(&argv, &links)) < 0 || (r = nspawn(host, &inside, c, &links)) != 0)
                return r < 0 ? r : 0;
        r = run_plan(findings, &inside, nc_plan_init_setup, "init-setup", c, env);
        if (r == 0)
                r = run_plan(findings, host, nc_plan_host_setup, "host-setup", c, env);
        return r < 0 ? r : 0;
}

int nc_check_start(const nc_config *config, nc_check_findings *findings) {
        _cleanup_(nc_net_model_clear) nc_net_model host = { 0 };
        int r = nc_net_model_link_add(&host, "lo", NULL, true);

        for (size_t i = 0; r >= 0 && i < config->n_containers; i++)
                r = start(findings, &host, &config->containers[i]);
        return r;
}
