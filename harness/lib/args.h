/* The command lines of the tiers and the bench: one table says each
 * option, where its value goes and what it may be. args_parse() builds
 * getopt_long's table and the usage text from it, stores the values and
 * checks them, and ends the tool with its usage on --help or a wrong
 * command line, as glibc's argp_parse() does. (argp itself would still
 * want a parser function with a case per option in every tool: the value
 * pointers of this table are what it lacks.) */
#ifndef HARNESS_ARGS_H
#define HARNESS_ARGS_H

#include <stdbool.h>

#include "nixcontainer.h"

typedef enum arg_kind {
        ARG_STRING,   /* const char **: the value as given */
        ARG_STRINGS,  /* nc_strv *: the value of each time the option is given, in order */
        ARG_LONG,     /* long *: a decimal number in [min, max] */
        ARG_UNSIGNED, /* unsigned *: a decimal number in [min, max] */
        ARG_FLAG,     /* bool *: true when the option is given; it takes no value */
} arg_kind;

typedef struct arg_option {
        const char *name; /* "fixtures" for --fixtures; NULL ends the table */
        arg_kind kind;
        void *value;      /* what the kind says; left as it is when the option is not given */
        const char *arg;  /* the value in the usage: "DIR" (default: "VALUE", numbers "N") */
        bool required;    /* given at least once */
        long min, max;    /* ARG_LONG and ARG_UNSIGNED: the range (max 0: the type's largest) */
} arg_option;

/* A row of the table, what it does not name zero (optional, any number):
 *   ARG("jobs", ARG_LONG, &jobs, .min = 1) */
#define ARG(option_name, option_kind, where, ...) \
        { .name = (option_name), .kind = (option_kind), .value = (where), __VA_ARGS__ }

/* Parses the options of argv (a tool of the harness takes no other
 * argument) by `options`, --help and --version. Returns when the tool goes
 * on. Otherwise exits: 0 after --version, "TOOL NC_VERSION (libnixcontainer
 * nc_version())" on stdout; with the usage (a synopsis made from the table,
 * then `notes` when not NULL, then a line on --help and --version): 0 after
 * --help, the usage on stdout; 2, the
 * usage on stderr, for an unknown option, a missing value, a missing
 * required option, a number that is not one or out of its range, or an
 * argument that is no option; 1 when out of memory. */
void args_parse(int argc, char **argv, const arg_option *options, const char *notes);

/* The goldens of release `release` (--release R, a set's name: "25.11" or
 * "25.11@25.11"): `golden_dir` (--golden DIR) when given, else golden/R.
 * A set that make golden wrote says in its SOURCE (DIR/SOURCE, or
 * DIR/../SOURCE for the invalid corpus) which release and host
 * stateVersion made it; when they are not R's (the release, and the part
 * after "@", default 21.05), the goldens cannot match and the run is
 * refused: -EINVAL with *ret_error saying which --release to give (the
 * caller's to free()). *ret_dir is the caller's to free(). Returns 0,
 * -EINVAL or -ENOMEM. */
int args_release_golden(const char *golden_dir, const char *release, char **ret_dir, char **ret_error);

/* Whether `word` is one of the comma-separated items of `list` (an option
 * such as --only ID,ID or --cli-checks env-file,argv); a NULL list holds
 * every word. */
bool args_list_has(const char *list, const char *word);

#endif
