/* Each unit test file registers one CUnit suite. */
#ifndef NC_UNIT_TESTS_H
#define NC_UNIT_TESTS_H

void nc_test_register_env(void);
void nc_test_register_env_file(void);
void nc_test_register_config(void);
void nc_test_register_json(void);
void nc_test_register_render(void);
void nc_test_register_render_unit(void);
void nc_test_register_shell_words(void);
void nc_test_register_argv(void);
void nc_test_register_ip_address(void);
void nc_test_register_net_plan(void);
void nc_test_register_validate(void);
void nc_test_register_strbuf(void);
void nc_test_register_alloc_util(void);
void nc_test_register_time_span(void);
void nc_test_register_ip_oracle(void);
void nc_test_register_check(void);

#endif
