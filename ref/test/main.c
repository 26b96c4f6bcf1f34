/* The unit test runner: one CUnit suite per file, verbose output, and a
 * non-zero exit when anything failed. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include "results.h"
#include "tier.h"
#include "unit-helpers.h"
#include "unit-tests.h"

int main(int argc, char **argv) {
        unsigned failures, suites_failed;
        char *scratch = NULL;
        int r;

        if (argc > 1) {
                bool help = strcmp(argv[1], "--help") == 0;
                fprintf(help ? stdout : stderr,
                        "usage: test-unit\n"
                        "The library's white-box unit tests (ref/test/), every suite; with NC_REPORTS_DIR\n"
                        "set, also JUnit XML and TAP there (unit.xml, unit.tap).\n");
                return help ? 0 : 2;
        }

        /* The files the tests write go to the tier's scratch folder: a
         * signal removes it, and a later run what a SIGKILL left. */
        r = tier_begin("unit");
        if (r >= 0)
                r = tier_scratch_new(&scratch);
        if (r < 0) {
                fprintf(stderr, "test-unit: cannot make its scratch folder: %s\n", strerror(-r));
                return 2;
        }
        unit_scratch_set(scratch);

        if (CU_initialize_registry() != CUE_SUCCESS) {
                fprintf(stderr, "test-unit: %s\n", CU_get_error_msg());
                tier_scratch_end(scratch, false);
                return 2;
        }

        nc_test_register_env();
        nc_test_register_env_file();
        nc_test_register_config();
        nc_test_register_json();
        nc_test_register_render();
        nc_test_register_render_unit();
        nc_test_register_shell_words();
        nc_test_register_argv();
        nc_test_register_ip_address();
        nc_test_register_net_plan();
        nc_test_register_validate();
        nc_test_register_strbuf();
        nc_test_register_alloc_util();
        nc_test_register_time_span();
        nc_test_register_ip_oracle();
        nc_test_register_check();

        if (CU_get_error() != CUE_SUCCESS) {
                fprintf(stderr, "test-unit: registering tests: %s\n", CU_get_error_msg());
                CU_cleanup_registry();
                tier_scratch_end(scratch, false);
                return 2;
        }

        /* Verbose mode prints each test and, at the end, CUnit's summary. */
        CU_basic_set_mode(CU_BRM_VERBOSE);
        CU_basic_run_tests();
        failures = CU_get_number_of_failures();
        suites_failed = CU_get_number_of_suites_failed();
        /* The closing line every tier prints (harness/lib/tier.h); no test skips. */
        if (results_write_all(NULL, true, "unit", NULL, NULL) < 0)
                failures++;
        printf("unit: %u passed, %u failed, 0 skipped in %.1f s\n",
               CU_get_number_of_tests_run() - CU_get_number_of_tests_failed(),
               CU_get_number_of_tests_failed() + suites_failed, CU_get_elapsed_time());
        CU_cleanup_registry();
        tier_scratch_end(scratch, false);

        return failures > 0 || suites_failed > 0 ? 1 : 0;
}
