/* Where the namespace tier's simulation of systemd-nspawn (harness/lib/nspawn-sim.c)
 * is not what the real systemd-nspawn v252 does, as the live tier sees it.
 *
 * The .net goldens come from that simulation. Before comparing, the live
 * tier turns the golden into what the real nspawn leaves, by each entry
 * below, and the report says which entries it used. An entry is a claim
 * the comparison checks: the live run must not have the line it removes.
 * Once the simulation does as nspawn does and the goldens are regenerated
 * (`make golden-net`), an entry removes nothing and can go. */
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "text.h"

/* Fixed in the simulation so far (each with the goldens regenerated):
 *   - lo-ipv6-noprefixroute: nspawn's loopback_setup() adds ::1/128
 *     noprefixroute before lo goes up (harness/lib/netns.c);
 *   - a failing container-init ends the container: no postStart, the
 *     namespace and its veths gone (harness/netns/run-fixture.c);
 *   - a failing nspawn leaves no container namespace (same place). */
const live_sim_difference live_sim_differences[] = {
        { NULL, NULL, NULL, NULL },
};

/* Whether `line` (without its newline) is `s`. */
static bool line_is(const char *line, size_t len, const char *s) {
        return strlen(s) == len && strncmp(line, s, len) == 0;
}

typedef struct golden_edit {
        const char *section; /* the current section's header line */
        size_t section_len;
        nc_strv *applied;
} golden_edit;

/* The difference that removes `line` in the current section, or NULL. */
static const live_sim_difference *difference_for(const golden_edit *e, const char *line, size_t len) {
        for (size_t i = 0; live_sim_differences[i].id; i++) {
                const live_sim_difference *d = &live_sim_differences[i];
                size_t prefix = strlen(d->section);
                if (e->section_len >= prefix && strncmp(e->section, d->section, prefix) == 0 &&
                    line_is(line, len, d->line))
                        return d;
        }
        return NULL;
}

static void as_nspawn(text *out, const char *line, size_t len, void *userdata) {
        golden_edit *e = userdata;
        const live_sim_difference *d = NULL;

        if (line[0] == '#') {
                e->section = line;
                e->section_len = len;
        } else
                d = difference_for(e, line, len);
        if (!d) {
                text_append_line(out, line, len);
                return;
        }
        for (size_t j = 0; j < e->applied->n; j++)
                if (strcmp(e->applied->items[j], d->id) == 0)
                        return;
        nc_strv_push(e->applied, d->id);
}

char *live_golden_as_nspawn(const char *golden, nc_strv *applied) {
        golden_edit e = { .section = "", .applied = applied };

        return text_edit_lines(golden, as_nspawn, &e);
}
