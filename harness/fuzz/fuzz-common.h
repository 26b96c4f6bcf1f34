/* Shared by the libFuzzer targets in harness/fuzz/: the input limit, the
 * entry point's prototype, and a failure that libFuzzer records as a crash.
 * Nothing here keeps state between runs. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nixcontainer.h"

/* Every input longer than this is skipped: it keeps executions fast, and
 * the library's own limits (64 MiB configs, 4 MiB env files) are far above. */
#define FUZZ_MAX_INPUT (64u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints the target's name and the message on stderr, as warnx(3) does
 * ("fuzz-config: ..."), and abort()s, which libFuzzer reports as a crash
 * and saves the input for. */
_Noreturn void fuzz_fail(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Writes `s` (len bytes) quoted, with every byte that is not printable
 * ASCII as \xHH, so that messages show exactly what differs. NULL is
 * written as (absent). */
void fuzz_print_escaped(FILE *f, const char *s, size_t len);

/* fuzz_fail() unless `actual` (NULL: unset) equals `expected` (NULL: must
 * be unset); `what` names the value in the message. */
void fuzz_expect_string(const char *what, const char *expected, const char *actual);

/* [A-Za-z_][A-Za-z0-9_]*, written here again rather than taken from the
 * library so that it can check the library. */
bool fuzz_env_name_is_valid(const char *name);

/* The release an input asks for: a first byte 0x01-0x08 (no JSON text
 * starts so) chooses release (byte - 1) modulo the releases the library
 * follows, and is taken off the input; otherwise NULL (a config's own
 * "release", else the library's default). */
const char *fuzz_take_release(const uint8_t **data, size_t *size);

/* The input of the targets that run units: [RELEASE] CONFIG [NUL ENV-FILE]
 * (fuzz_take_release() for RELEASE; an env file cannot hold a NUL, so
 * nothing is lost by splitting there). */
typedef struct fuzz_units_input {
        const char *release;  /* NULL: the config's own, else the default */
        const char *config;
        size_t config_len;
        const char *env_file; /* NULL: each container gets its rendered env file */
        size_t env_file_len;
} fuzz_units_input;

/* Splits `data` as above. */
void fuzz_split_units_input(const uint8_t *data, size_t size, fuzz_units_input *ret);

/* One unit: container@NAME with `container` (NULL: not in the config and
 * no template), of release `release`; `index` counts the units from 0. */
typedef void (*fuzz_unit_fn)(const nc_container *container, const char *name, const char *release, nc_mode mode,
                             size_t index, const fuzz_units_input *input, void *userdata);

/* Loads the config in `mode` (a failure must have a message) and calls
 * `fn` for every container, then for one name that is not in the config
 * (the imperative container@ template). */
void fuzz_each_unit(const fuzz_units_input *input, nc_mode mode, fuzz_unit_fn fn, void *userdata);

/* The unit's environment from a base env with a PATH and the input's env
 * file, or the container's rendered one. Returns 0, or -errno when the
 * library refused (with a message: checked) and *ret_env is NULL. */
int fuzz_unit_environment(const nc_container *container, const char *name, const fuzz_units_input *input,
                          nc_env **ret_env);

/* Runs `fn` over every unit of the input ([RELEASE] CONFIG [NUL ENV-FILE])
 * in strict mode, then in compat mode: a whole LLVMFuzzerTestOneInput(). */
int fuzz_units_in_both_modes(const uint8_t *data, size_t size, fuzz_unit_fn fn);

/* The path of a file called `name` in a scratch folder made on the first
 * call (removed, with the file, at exit); the same path on every call. */
const char *fuzz_scratch_file(const char *name);

#endif
