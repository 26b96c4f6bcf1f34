/* Unit tests that need no namespace: SipHash-2-4 and nspawn's name
 * shortening, and the nspawn option reader. */
#ifndef NC_NETNS_UNIT_TESTS_H
#define NC_NETNS_UNIT_TESTS_H

/* Adds the suites to the CUnit registry. */
int netns_unit_tests_register(void);

#endif
