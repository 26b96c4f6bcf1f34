/* Reading a whole file, with a limit: the library's one file reader. */
#ifndef NC_READ_FILE_H
#define NC_READ_FILE_H

#include <stddef.h>

/* Reads all of `path` (read() until the end: /proc files and pipes report
 * no useful size) into a new NUL-terminated buffer, *ret_len bytes without
 * the NUL, freed by the caller with free(). At most `max` bytes: -EFBIG
 * beyond; -ENOMEM; open()'s and read()'s -errno. Nothing is written to
 * *ret_text or *ret_len on failure. */
int nc_read_file(const char *path, size_t max, char **ret_text, size_t *ret_len);
/* The same from the open descriptor `fd` (left open), e.g. standard input. */
int nc_read_fd(int fd, size_t max, char **ret_text, size_t *ret_len);

#endif
