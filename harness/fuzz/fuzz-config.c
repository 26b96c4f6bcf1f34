/* fuzz-config: the JSON loader, nc_config_load_json(), on arbitrary bytes
 * in strict and compat mode. What it accepts is rendered (every env file,
 * the hosts fragment, containerConfig) and freed.
 *
 * Checked besides crashes and leaks:
 *   - a failure comes with a message;
 *   - containers, bindMounts and extraVeths come sorted by name with no
 *     name twice, as attrNames are (nixcontainer.h);
 *   - the mode decides only what is refused: a config that strict mode
 *     accepts, compat mode accepts too and renders byte for byte the same. */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static void check_sorted(const char *what, const char *owner, const char *previous, const char *name) {
        if (previous && strcmp(previous, name) >= 0) {
                fprintf(stderr, "fuzz: %s of ", what);
                fuzz_print_escaped(stderr, owner, strlen(owner));
                fputs(": ", stderr);
                fuzz_print_escaped(stderr, previous, strlen(previous));
                fputs(" then ", stderr);
                fuzz_print_escaped(stderr, name, strlen(name));
                fputc('\n', stderr);
                fuzz_fail("%s are not sorted by name, or a name is there twice", what);
        }
}

static void check_model(const nc_config *config) {
        for (size_t i = 0; i < config->n_containers; i++) {
                const nc_container *c = &config->containers[i];

                check_sorted("containers", "the config", i ? config->containers[i - 1].name : NULL, c->name);
                if (nc_config_find(config, c->name) != c)
                        fuzz_fail("nc_config_find() does not find container %zu by its name", i);
                for (size_t j = 1; j < c->n_bind_mounts; j++)
                        check_sorted("bindMounts", c->name, c->bind_mounts[j - 1].name, c->bind_mounts[j].name);
                for (size_t j = 1; j < c->n_extra_veths; j++)
                        check_sorted("extraVeths", c->name, c->extra_veths[j - 1].name, c->extra_veths[j].name);
        }
}

/* Renders everything the config gives; the texts are kept in `rendered`
 * (n_containers env files, then the hosts) for comparison. */
static void render_all(const nc_config *config, nc_strv *rendered) {
        char *text;
        size_t len;
        int r;

        for (size_t i = 0; i < config->n_containers; i++) {
                nc_container *effective = NULL;

                r = nc_render_env_file(&config->containers[i], &text, &len);
                if (r < 0)
                        fuzz_fail("nc_render_env_file(%s) failed: %d", config->containers[i].name, r);
                if (strlen(text) != len)
                        fuzz_fail("nc_render_env_file(%s): length %zu, but %zu bytes before the NUL",
                                  config->containers[i].name, len, strlen(text));
                if (nc_strv_push(rendered, text) < 0)
                        fuzz_fail("out of memory");
                free(text);
                r = nc_container_effective(&config->containers[i], &effective);
                if (r < 0)
                        fuzz_fail("nc_container_effective(%s) failed: %d", config->containers[i].name, r);
                nc_container_free(effective);
        }
        r = nc_render_hosts(config, &text, &len);
        if (r < 0)
                fuzz_fail("nc_render_hosts() failed: %d", r);
        if (strlen(text) != len)
                fuzz_fail("nc_render_hosts(): length %zu, but %zu bytes before the NUL", len, strlen(text));
        if (nc_strv_push(rendered, text) < 0)
                fuzz_fail("out of memory");
        free(text);
}

static nc_config *load(const uint8_t *data, size_t size, nc_mode mode, nc_strv *rendered) {
        nc_error error = { .message = "" };
        nc_config *config = NULL;
        int r = nc_config_load_json((const char *) data, size, mode, &config, &error);

        if (r < 0) {
                if (!error.message[0])
                        fuzz_fail("nc_config_load_json() failed (%d) without a message", r);
                return NULL;
        }
        check_model(config);
        render_all(config, rendered);
        return config;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        nc_strv strict_rendered = { 0 }, compat_rendered = { 0 };
        nc_config *strict, *compat;

        if (size > FUZZ_MAX_INPUT)
                return 0;
        strict = load(data, size, NC_MODE_STRICT, &strict_rendered);
        compat = load(data, size, NC_MODE_COMPAT, &compat_rendered);

        if (strict && !compat)
                fuzz_fail("strict mode accepts the config and compat mode refuses it");
        if (strict) {
                if (strict->n_containers != compat->n_containers)
                        fuzz_fail("strict mode loads %zu containers, compat mode %zu", strict->n_containers,
                                  compat->n_containers);
                for (size_t i = 0; i < strict_rendered.n; i++) {
                        const char *what = i < strict->n_containers ? strict->containers[i].name : "(hosts)";
                        char label[256];

                        snprintf(label, sizeof label, "rendered text of %.200s, strict vs. compat", what);
                        fuzz_expect_string(label, strict_rendered.items[i], compat_rendered.items[i]);
                }
        }

        nc_config_free(strict);
        nc_config_free(compat);
        nc_strv_clear(&strict_rendered);
        nc_strv_clear(&compat_rendered);
        return 0;
}
