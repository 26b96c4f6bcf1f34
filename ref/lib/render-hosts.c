/* networking.extraHosts:
 *   concatStrings (mapAttrsToList (name: cfg: optionalString (cfg.localAddress != null)
 *     "${head (splitString "/" cfg.localAddress)} ${name}.containers\n") config.containers)
 * Only localAddress counts, and whatever it holds (an IPv6 literal too). */
#include <string.h>

#include "config-internal.h"
#include "alloc-util.h"
#include "nixcontainer.h"
#include "strbuf.h"

int nc_render_hosts(const nc_config *config, char **ret_text, size_t *ret_len) {
        _cleanup_(nc_strbuf_free) nc_strbuf b = { 0 };
        int r = 0;

        for (size_t i = 0; i < config->n_containers && r >= 0; i++) {
                const nc_container *c = &config->containers[i];
                const char *address = c->network.local_address;
                /* A refused container (NC_LOAD_KEEP_REFUSED) has no line:
                 * its name or one of its values is what strict mode refused. */
                if (!address || c->refusal)
                        continue;
                r = nc_strbuf_append_len(&b, address, strcspn(address, "/"));
                if (r >= 0)
                        r = nc_strbuf_appendf(&b, " %s.containers\n", c->name);
        }
        return r < 0 ? r : nc_strbuf_steal(&b, ret_text, ret_len);
}
