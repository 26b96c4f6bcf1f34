#include "bench.h"
int row_render(const bench_options *o, bench_table *t) { (void) o; (void) t; return 0; }
int row_teardown(const bench_options *o, bench_table *t) { (void) o; (void) t; return 0; }
int row_suite(const bench_options *o, bench_table *t) { (void) o; (void) t; return 0; }
