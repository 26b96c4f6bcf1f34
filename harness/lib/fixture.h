/* Fixtures (fixtures/<id>.json) and their goldens (golden/<id>/), as the
 * harness reads them. */
#ifndef NC_HARNESS_FIXTURE_H
#define NC_HARNESS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "nixcontainer.h"

typedef struct fixture {
        char *id;              /* file name without .json */
        char *description;
        char *containers_json; /* the "containers" object, serialised */
        /* The config implementations are given: containers_json in the
         * export format, with the set's release and stateVersion. */
        char *config_json;
        char *config_path;     /* a temporary file holding config_json */
        char *release;         /* the set's release: "25.11" */
        char *state_version;   /* the host's stateVersion: the set's, the fixture's hostStateVersion, or 21.05 */
        nc_strv names;         /* declarative container names, sorted */
        nc_strv imperative;    /* imperative containers ("imperative": {NAME: conf}), sorted */
        nc_strv unit_names;    /* both: every container@NAME unit of the fixture, sorted */
        nc_strv guest_names;   /* guestSystem keys ... */
        nc_strv guest_systems; /* ... and values */
        char *golden_dir;
        bool compat;           /* "compat": true: the original's quirks; strict mode must refuse it */
        bool rejected;         /* the module refuses it: "rejected": true, or a golden eval-error */
        bool generate;         /* "generate": false: no goldens, the original cannot run it */
        char *refusal;         /* "refusal": strict mode's exact message, or NULL */
        char *host_json;       /* the optional "host" object (the namespace tier's pre-state), or NULL */
} fixture;

typedef struct fixture_set {
        fixture *items;
        size_t n;
        char *tmpdir;
} fixture_set;

/* The set a tier checks when it is given none: the seed module's. */
#define DEFAULT_SET "21.05"

/* Loads every JSON file in fixtures_dir, sorted by id, for the golden set
 * `set_name` ("25.11", "25.11@25.11": RELEASE[@STATEVERSION]) whose files
 * are in golden_dir. */
int fixture_set_load(const char *fixtures_dir, const char *golden_dir, const char *set_name, fixture_set *ret_set,
                     char **ret_error);
void fixture_set_free(fixture_set *set);

/* The config implementations are given becomes the fixture's golden
 * containers.json (golden/<set>/<id>/containers.json: the host of the
 * golden generator exported by ref/nix/export-containers.nix, made by
 * `make golden`) in place of the harness's own envelope: config_json and
 * the file at config_path both hold it. Returns 0; -ENOENT when the golden
 * has no containers.json (the module refused the fixture); -ENOMEM, or
 * -errno of writing config_path. */
int fixture_use_exported(fixture *f);

/* "x86_64-linux" unless the fixture says otherwise. */
const char *fixture_guest_system(const fixture *f, const char *name);

/* The mode the fixture is loaded in. */
nc_mode fixture_mode(const fixture *f);

/* Reads golden/<id>/<file>; NULL when absent. */
char *golden_read(const fixture *f, const char *file, size_t *ret_len);
/* Whether the original's start script fails for container `name` (golden
 * NAME.start-error). */
bool golden_start_failed(const fixture *f, const char *name);

/* Whether the unit of container `name` sets enableStrictShellChecks (golden
 * NAME.service.json; 24.11 and later): NixOS then builds its preStart and
 * postStart as writeShellApplication does, with errexit, nounset and
 * pipefail, instead of `#!/bin/bash -e`. */
bool golden_strict_shell(const fixture *f, const char *name);

/* The option a golden eval-error names, in the ref's notation:
 * "containers.web.forwardPorts.[definition 1-entry 1].hostPort" becomes
 * "containers.web.forwardPorts[0].hostPort". Without one (Nix says only
 * "value is a string while a set was expected"), "containers.NAME" of the
 * fixture's first container. Caller frees. */
char *golden_refused_option(const fixture *f);

/* golden/<id>/<name>.argv, what the start script hands systemd-nspawn;
 * -ENOENT when the fixture has none. */
int golden_read_argv(const fixture *f, const char *name, nc_strv *ret_argv);

#endif
