/* The library's ground floor: the one growth helper, the cleanup helpers,
 * nc_strv's NULL terminator, the file reader and the scripts' variables. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "alloc-util.h"
#include "read-file.h"
#include "script-env.h"
#include "shell-words.h"
#include "strbuf.h"
#include "unit-helpers.h"
#include "unit-tests.h"

static void test_grow_doubles_from_first(void) {
        int *array = NULL;
        size_t capacity = 0;

        CU_ASSERT_EQUAL(NC_GROW(array, capacity, 1, 8), 0);
        CU_ASSERT_EQUAL(capacity, 8);
        CU_ASSERT_PTR_NOT_NULL_FATAL(array);
        array[7] = 7;
        /* Enough room: nothing changes. */
        CU_ASSERT_EQUAL(NC_GROW(array, capacity, 8, 8), 0);
        CU_ASSERT_EQUAL(capacity, 8);
        /* Doubled until it fits, the items kept. */
        CU_ASSERT_EQUAL(NC_GROW(array, capacity, 9, 8), 0);
        CU_ASSERT_EQUAL(capacity, 16);
        CU_ASSERT_EQUAL(NC_GROW(array, capacity, 100, 8), 0);
        CU_ASSERT_EQUAL(capacity, 128);
        CU_ASSERT_EQUAL(array[7], 7);
        free(array);
}

static void test_grow_refuses_overflow(void) {
        uint64_t *array = NULL;
        size_t capacity = 0;

        CU_ASSERT_EQUAL_FATAL(NC_GROW(array, capacity, 4, 4), 0);
        /* Bytes that do not fit a size_t, and a count that cannot double:
         * -ENOMEM, the array and its capacity as they were. */
        CU_ASSERT_EQUAL(NC_GROW(array, capacity, SIZE_MAX / 4, 4), -ENOMEM);
        CU_ASSERT_EQUAL(NC_GROW(array, capacity, SIZE_MAX, 4), -ENOMEM);
        CU_ASSERT_EQUAL(capacity, 4);
        CU_ASSERT_PTR_NOT_NULL(array);
        free(array);
}

static void test_memdup_nul(void) {
        _cleanup_free_ char *copy = nc_memdup_nul("abcdef", 3);

        CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
        CU_ASSERT_STRING_EQUAL(copy, "abc");
}

static char *take_cleaned(void) {
        _cleanup_free_ char *kept = strdup("kept");
        _cleanup_free_ char *dropped = strdup("dropped");
        _cleanup_(nc_strv_clear) nc_strv v = { 0 };
        _cleanup_(nc_strbuf_free) nc_strbuf b = { 0 };
        _cleanup_(nc_env_freep) nc_env *env = nc_env_new();

        /* Everything but `kept` is freed on return (valgrind checks that). */
        CU_ASSERT_EQUAL(nc_strv_push(&v, "x"), 0);
        CU_ASSERT_EQUAL(nc_strbuf_append(&b, "y"), 0);
        CU_ASSERT_EQUAL(nc_env_set(env, "A", "1"), 0);
        CU_ASSERT_PTR_NOT_NULL(dropped);
        return TAKE_PTR(kept);
}

static void test_cleanup_and_take(void) {
        nc_strv from = { 0 }, to;
        char *kept = take_cleaned();

        CU_ASSERT_STRING_EQUAL(kept, "kept");
        free(kept);
        CU_ASSERT_EQUAL_FATAL(nc_strv_push(&from, "a"), 0);
        to = TAKE_STRUCT(from);
        CU_ASSERT_PTR_NULL(from.items);
        CU_ASSERT_EQUAL(from.n, 0);
        CU_ASSERT_EQUAL(to.n, 1);
        nc_strv_clear(&to);
}

static void check_terminated(const nc_strv *v) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(v->items);
        CU_ASSERT_TRUE(v->n < v->capacity);
        CU_ASSERT_PTR_NULL(v->items[v->n]);
}

static void test_strv_null_terminated(void) {
        nc_strv v = { 0 };
        nc_error error = { { 0 } };

        CU_ASSERT_PTR_NULL(v.items); /* nothing pushed, nothing allocated */
        for (size_t i = 0; i < 40; i++) {
                CU_ASSERT_EQUAL_FATAL(nc_strv_push(&v, "word"), 0);
                check_terminated(&v);
        }
        CU_ASSERT_EQUAL(nc_strv_push_len(&v, "abc", 2), 0);
        check_terminated(&v);
        CU_ASSERT_STRING_EQUAL(v.items[v.n - 1], "ab");
        CU_ASSERT_EQUAL(nc_strv_push_concat(&v, "a", "b", (const char *) NULL), 0);
        check_terminated(&v);
        /* A failed parse takes back the words it had added. */
        {
                size_t n = v.n;
                bool ended;
                CU_ASSERT_EQUAL(nc_shell_parse_words("one two 'three", NULL, 0, &v, &ended, &error), -ENOTSUP);
                CU_ASSERT_EQUAL(v.n, n);
                check_terminated(&v);
        }
        nc_strv_clear(&v);
        CU_ASSERT_PTR_NULL(v.items);
        CU_ASSERT_EQUAL(v.n, 0);
        CU_ASSERT_EQUAL(v.capacity, 0);
        nc_strv_clear(NULL);
}

static void test_argv_is_execv_ready(void) {
        static const char *const vars[] = { "INSTANCE=web", "root=/var/lib/containers/web", NULL };
        nc_env *env = env_of(vars);
        nc_strv argv = { 0 };

        CU_ASSERT_EQUAL_FATAL(nc_build_argv(NULL, env, NULL, &argv, NULL), 0);
        check_terminated(&argv);
        CU_ASSERT_STRING_EQUAL(argv.items[0], "systemd-nspawn");
        nc_strv_clear(&argv);
        nc_env_free(env);
}

/* A new file of `len` bytes of 'x' in the tier's scratch folder. */
static char *write_temp_file(size_t len) {
        char *path = unit_temp_template("read-file");
        char *data = malloc(len ? len : 1);
        int fd = mkstemp(path);

        CU_ASSERT_FATAL(fd >= 0);
        memset(data, 'x', len);
        CU_ASSERT_EQUAL(write(fd, data, len), (ssize_t) len);
        close(fd);
        free(data);
        return path;
}

static void test_read_file_limit(void) {
        static const struct {
                size_t len, max;
                int r;
        } cases[] = {
                { 0, 10, 0 }, { 10, 10, 0 }, { 11, 10, -EFBIG }, { 5000, 5000, 0 }, { 5000, 4999, -EFBIG },
                { 9000, 100000, 0 },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *path = write_temp_file(cases[i].len), *text = NULL;
                size_t len = 12345;

                CU_ASSERT_EQUAL(nc_read_file(path, cases[i].max, &text, &len), cases[i].r);
                if (cases[i].r == 0) {
                        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
                        CU_ASSERT_EQUAL(len, cases[i].len);
                        CU_ASSERT_EQUAL(strlen(text), cases[i].len);
                } else {
                        CU_ASSERT_PTR_NULL(text);
                        CU_ASSERT_EQUAL(len, 12345);
                }
                free(text);
                unlink(path);
                free(path);
        }
        {
                char *text = NULL;
                size_t len;
                CU_ASSERT_EQUAL(nc_read_file("/nonexistent/nc-unit", 10, &text, &len), -ENOENT);
                CU_ASSERT_PTR_NULL(text);
        }
}

static void test_any_address(void) {
        static const struct {
                const char *assignment;
                bool any;
        } cases[] = {
                { "HOST_ADDRESS=10.0.0.1", true }, { "LOCAL_ADDRESS=10.0.0.2", true },
                { "HOST_ADDRESS6=fc00::1", true }, { "LOCAL_ADDRESS6=fc00::2", true },
                { "HOST_ADDRESS=", false },        { "HOST_BRIDGE=br0", false },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const char *const vars[] = { "INSTANCE=web", cases[i].assignment, NULL };
                nc_env *env = env_of(vars);
                CU_ASSERT_EQUAL(nc_script_any_address(env), cases[i].any);
                CU_ASSERT_STRING_EQUAL(nc_script_var(env, "UNSET"), "");
                nc_env_free(env);
        }
}

void nc_test_register_alloc_util(void) {
        static const suite_test tests[] = {
                { "growth doubles from the first capacity", test_grow_doubles_from_first },
                { "growth refuses an overflow and changes nothing", test_grow_refuses_overflow },
                { "memdup adds a NUL", test_memdup_nul },
                { "cleanup frees, TAKE_PTR and TAKE_STRUCT hand over", test_cleanup_and_take },
                { "nc_strv keeps items[n] == NULL", test_strv_null_terminated },
                { "nc_build_argv gives an execv-ready argv", test_argv_is_execv_ready },
                { "nc_read_file: the limit, and one byte more", test_read_file_limit },
                { "any address set, as the scripts ask", test_any_address },
        };

        suite_add("alloc-util and the floor", tests, ELEMENTSOF(tests));
}
