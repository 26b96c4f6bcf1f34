/* What the oracle of `make check-test` replays with the real `ip` in
 * throwaway network namespaces (test-check.sh): for each container of a
 * config, in name order, the links preStart deletes, the link options of
 * the argv systemd-nspawn gets, and the `ip` commands of container-init
 * and postStart as the library plans them (the conformance suite checks
 * those plans against the module's own scripts).
 *
 *   check-oracle [--release R] CONFIG
 *
 * prints, per container:
 *   container NAME
 *   delete IF        (preStart: ve-/vb-NAME when an address is set, each extraVeth)
 *   nspawn OPTION    (--network-veth, --network-bridge=BR, --network-veth-extra=H[:C])
 *   init COMMAND     (container-init's `ip` commands)
 *   host COMMAND     (postStart's)
 * Exit status: 0, or 2 for a config the library cannot load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "nixcontainer-test.h"

static void print_plan(const char *tag, nc_test_script script, const nc_container *c, const nc_env *env) {
        nc_strv texts = { 0 };

        if (nc_test_plan_texts(script, c, env, &texts) >= 0)
                for (size_t i = 0; i < texts.n; i++)
                        printf("%s %s\n", tag, texts.items[i]);
        nc_strv_clear(&texts);
}

static void print_container(const nc_container *c) {
        static const char *const addresses[] = { "HOST_ADDRESS", "LOCAL_ADDRESS", "HOST_ADDRESS6", "LOCAL_ADDRESS6" };
        const char *name = nc_container_name(c);
        nc_argv_request request = { .mode = NC_MODE_COMPAT };
        nc_env *env = NULL;
        nc_strv argv = { 0 };
        char *conf = NULL;
        size_t len = 0;
        bool any = false;

        printf("container %s\n", name);
        if (nc_render_env_file(c, &conf, &len) < 0 || nc_unit_environment(c, name, NULL, conf, len, &env, NULL) < 0)
                goto out;
        for (size_t i = 0; i < ELEMENTSOF(addresses); i++)
                any = any || (nc_env_get(env, addresses[i]) && nc_env_get(env, addresses[i])[0]);
        if (any)
                printf("delete ve-%s\ndelete vb-%s\n", name, name);
        if (nc_build_argv(c, env, &request, &argv, NULL) < 0) {
                printf("nspawn (no argv)\n");
                goto out;
        }
        /* extraVeths: preStart's `ip link del dev NAME`, from the argv's names. */
        for (size_t i = 0; i < argv.n; i++)
                if (strncmp(argv.items[i], "--network-veth-extra=", 21) == 0)
                        printf("delete %.*s\n", (int) strcspn(argv.items[i] + 21, ":"), argv.items[i] + 21);
        for (size_t i = 0; i < argv.n; i++)
                if (strncmp(argv.items[i], "--network-", 10) == 0)
                        printf("nspawn %s\n", argv.items[i]);
        print_plan("init", NC_TEST_SCRIPT_INIT_SETUP, c, env);
        print_plan("host", NC_TEST_SCRIPT_HOST_SETUP, c, env);
out:
        nc_strv_clear(&argv);
        nc_env_free(env);
        free(conf);
}

int main(int argc, char **argv) {
        const char *release = NULL;
        nc_config *config = NULL;
        nc_error error = { { 0 } };

        if (argc == 4 && strcmp(argv[1], "--release") == 0)
                release = argv[2];
        else if (argc != 2) {
                fprintf(stderr, "usage: check-oracle [--release R] CONFIG\n");
                return 2;
        }
        if (nc_config_load_file(argv[argc - 1], NC_MODE_STRICT, release, NULL, &config, &error) < 0) {
                fprintf(stderr, "check-oracle: %s\n", error.message);
                return 2;
        }
        for (size_t i = 0; i < nc_config_count(config); i++)
                print_container(nc_config_at(config, i));
        nc_config_free(config);
        return fflush(stdout) == 0 ? 0 : 1;
}
