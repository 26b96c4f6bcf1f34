/* libnixcontainer's test interface: what the harness must see of the
 * library step by step, and nothing else. Not installed, not part of the
 * shared library's ABI (the symbols are in libnixcontainer.a only; `make
 * symbols` checks that the .so exports exactly nixcontainer.h).
 *
 * Why each function is here and not in nixcontainer.h:
 * - nc_test_plan_texts: the conformance suite compares the `ip` commands the
 *   library plans with those the original scripts ran (golden NAME.*.ip),
 *   without touching a network namespace. An outside implementation has no
 *   plan; for it the namespace tier compares the network state instead.
 * - nc_test_ip_parse: the address parser alone (iproute2's get_prefix() and
 *   get_addr(), as `ip` reads a value), for the fuzz target that checks it
 *   round-trips; the tiers see it only through plans and network state. */
#ifndef NIXCONTAINER_TEST_H
#define NIXCONTAINER_TEST_H

#include <stdbool.h>

#include "nixcontainer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The network scripts whose plans the library can show. */
typedef enum nc_test_script {
        NC_TEST_SCRIPT_HOST_SETUP, /* postStart (nc_host_setup) */
        NC_TEST_SCRIPT_INIT_SETUP, /* container-init's network part (nc_init_setup) */
} nc_test_script;

/* The `ip` commands `script` would run for `container` (may be NULL: the
 * imperative template) in the environment `env`, in order, each as the
 * script's xtrace shows it ("ip -6 route add fc00::2 dev ve-web"). Touches
 * no network. On success *ret_texts holds one string per step (possibly
 * none), owned by the caller, freed with nc_strv_clear(). On failure
 * returns -ENOMEM, -ENOTSUP when a value would reach `ip` as other than one
 * word (the library refuses what it cannot reproduce), or -EINVAL for an
 * unknown `script`; *ret_texts is left untouched. */
int nc_test_plan_texts(nc_test_script script, const nc_container *container, const nc_env *env,
                       nc_strv *ret_texts);

/* An address or a prefix as `ip` reads it. */
typedef struct nc_test_ip {
        int family;          /* AF_INET, AF_INET6, or AF_UNSPEC ("default", "any", "all" without a family) */
        unsigned char bytes[16];
        unsigned byte_len;   /* 4, 16, or 0 (no family) */
        unsigned prefix_len; /* 0..32 / 0..128: the full length when none is given */
} nc_test_ip;

/* Reads `text` as iproute2 does (lib/utils.c): a prefix with get_prefix()
 * ("A", "A/LEN", "A/MASK", "default") when `prefix`, else an address with
 * get_addr() (a gateway); `family` AF_UNSPEC infers it from the literal
 * (plain `ip`), AF_INET or AF_INET6 requires that family (`ip -4`, `ip
 * -6`). On success fills *ret and returns 0; -EINVAL where `ip` would
 * refuse the value, -ENOMEM (*ret untouched either way). */
int nc_test_ip_parse(const char *text, int family, bool prefix, nc_test_ip *ret);

#ifdef __cplusplus
}
#endif

#endif
