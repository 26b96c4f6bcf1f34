/* nc_config_check(): the findings list, the kinds' names, and the order
 * the parts run in. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "check-internal.h"
#include "error.h"

/* The names `check --json` prints, one row a kind. */
static const struct {
        nc_check_kind kind;
        const char *name;
} kinds[] = {
        { NC_CHECK_EXTRA_VETH_SHARED, "extra-veth-shared" },
        { NC_CHECK_EXTRA_VETH_NAME, "extra-veth-name" },
        { NC_CHECK_EXTRA_VETH_IN_INTERFACES, "extra-veth-in-interfaces" },
        { NC_CHECK_ADDRESS_SHARED, "address-shared" },
        { NC_CHECK_HOST_PORT_SHARED, "host-port-shared" },
        { NC_CHECK_ROUTE_HOST_BITS, "route-host-bits" },
        { NC_CHECK_SUBNET_MISMATCH, "subnet-mismatch" },
        { NC_CHECK_STEP_FAILS, "step-fails" },
};

const char *nc_check_kind_name(nc_check_kind kind) {
        for (size_t i = 0; i < ELEMENTSOF(kinds); i++)
                if (kinds[i].kind == kind)
                        return kinds[i].name;
        return NULL;
}

const char *nc_check_severity_name(nc_check_severity severity) {
        return severity == NC_CHECK_ERROR ? "error" : severity == NC_CHECK_WARNING ? "warning" : NULL;
}

static void finding_clear(nc_check_finding *f) {
        nc_strv_clear(&f->containers);
        nc_strv_clear(&f->options);
        free(f->message);
        free(f->unit);
        free(f->stage);
        free(f->step);
        free(f->step_error);
}

void nc_check_findings_clear(nc_check_findings *findings) {
        if (findings) {
                while (findings->n > 0)
                        finding_clear(&findings->items[--findings->n]);
                free(findings->items);
                *findings = (nc_check_findings) { 0 };
        }
}

nc_check_finding *nc_check_add(nc_check_findings *findings, nc_check_kind kind, nc_check_severity severity,
                               const char *format, ...) {
        nc_check_finding *f;
        va_list ap;
        int n;

        if (NC_GROW(findings->items, findings->capacity, findings->n + 1, 8) < 0)
                return NULL;
        f = &findings->items[findings->n];
        *f = (nc_check_finding) { .kind = kind, .severity = severity };
        va_start(ap, format);
        n = vasprintf(&f->message, format, ap);
        va_end(ap);
        if (n < 0)
                return NULL;
        findings->n++;
        return f;
}

int nc_check_add_container(nc_check_finding *finding, const char *name) {
        for (size_t i = 0; i < finding->containers.n; i++)
                if (strcmp(finding->containers.items[i], name) == 0)
                        return 0;
        return nc_strv_push(&finding->containers, name);
}

int nc_check_add_option(nc_check_finding *finding, const char *name, const char *format, ...) {
        _cleanup_free_ char *path = NULL, *option = NULL;
        va_list ap;
        int n;

        va_start(ap, format);
        n = vasprintf(&path, format, ap);
        va_end(ap);
        if (n < 0) {
                path = NULL; /* vasprintf() leaves it undefined */
                return -ENOMEM;
        }
        if (asprintf(&option, "containers.%s.%s", name, path) < 0) {
                option = NULL;
                return -ENOMEM;
        }
        for (size_t i = 0; i < finding->options.n; i++)
                if (strcmp(finding->options.items[i], option) == 0)
                        return nc_check_add_container(finding, name);
        if (nc_strv_push(&finding->options, option) < 0)
                return -ENOMEM;
        return nc_check_add_container(finding, name);
}

int nc_config_check(const nc_config *config, nc_check_findings *ret_findings, nc_error *error) {
        _cleanup_(nc_check_findings_clear) nc_check_findings findings = { 0 };
        int (*const parts[])(const nc_config *, nc_check_findings *) = {
                nc_check_links, nc_check_addresses, nc_check_host_ports, nc_check_start,
        };
        int errors = 0;

        if (!config || !ret_findings)
                return nc_error_set(error, -EINVAL, "check: no config");
        for (size_t i = 0; i < ELEMENTSOF(parts); i++) {
                int r = parts[i](config, &findings);
                if (r < 0)
                        return nc_error_set(error, r, "check: out of memory");
        }
        for (size_t i = 0; i < findings.n; i++)
                errors += findings.items[i].severity == NC_CHECK_ERROR;
        *ret_findings = TAKE_STRUCT(findings);
        return errors;
}
