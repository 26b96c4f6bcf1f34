/* One fixture in the namespace tier, run inside a worker process. */
#ifndef NC_NETNS_RUN_FIXTURE_H
#define NC_NETNS_RUN_FIXTURE_H

#include "fixture.h"
#include "impl.h"

/* Moves the calling process into a new network namespace (the host), builds
 * the pre-state, and for each container@ unit of the fixture (declarative
 * and imperative, f->unit_names) in name order runs the
 * implementation's prestart, systemd-nspawn's network setup, the
 * container-init's network part and postStart; then writes, for each
 * container, outdir/NAME.net:
 *
 *   # host
 *   <dump of the host namespace>
 *   # container NAME                 (with a private network)
 *   <dump of the container's namespace>
 *   # steps
 *   prestart: ok
 *   nspawn: ok | failed at: OPTION
 *   init-setup: ok | failed at: STEP | failed: WHY | not run
 *   host-setup: ...
 *
 * The dumps are taken after all containers are set up (dump.h). Details go
 * to stderr. Returns 0, or -errno when the harness could not do its part. */
int run_fixture(const fixture *f, const impl *which, const char *outdir);

/* Whether the tier runs the fixture; if not, why (static text). */
bool fixture_eligible(const fixture *f, const char **ret_why);

#endif
