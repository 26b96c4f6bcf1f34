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

#endif
