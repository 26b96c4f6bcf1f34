/* A program outside the tree, built against the installed libnixcontainer
 * with `pkg-config --cflags --libs libnixcontainer` only (test-install.sh):
 * the header, the .pc file and the .so are enough to render a container's
 * env file and argv.
 *
 *   outside CONFIG.json NAME     prints the version, the env file, then the argv */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nixcontainer.h>

int main(int argc, char **argv) {
        nc_config *config = NULL;
        nc_env *env = NULL;
        nc_strv words = { 0 };
        nc_error error = { { 0 } };
        nc_argv_request request = { .guest_system = "x86_64-linux" };
        const nc_container *container;
        char *text = NULL;
        size_t len;
        int r, status = 1;

        if (argc != 3) {
                fprintf(stderr, "usage: outside CONFIG.json NAME\n");
                return 2;
        }
        if (strcmp(nc_version(), NC_VERSION) != 0) {
                fprintf(stderr, "outside: compiled against %s, runs with %s\n", NC_VERSION, nc_version());
                return 1;
        }
        printf("version %s\n", nc_version());
        if ((r = nc_config_load_file(argv[1], NC_MODE_STRICT, NULL, NULL, &config, &error)) < 0 ||
            !(container = nc_config_find(config, argv[2])) ||
            (r = nc_render_env_file(container, &text, &len)) < 0 ||
            (r = nc_unit_environment(container, argv[2], NULL, text, len, &env, &error)) < 0 ||
            (r = nc_build_argv(container, env, &request, &words, &error)) < 0) {
                fprintf(stderr, "outside: %s\n", error.message[0] ? error.message : strerror(r < 0 ? -r : ENOENT));
                goto out;
        }
        fwrite(text, 1, len, stdout);
        for (size_t i = 0; i < words.n; i++)
                printf("argv %s\n", words.items[i]);
        status = 0;
out:
        nc_strv_clear(&words);
        nc_env_free(env);
        free(text);
        nc_config_free(config);
        return status;
}
