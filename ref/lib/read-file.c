#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "alloc-util.h"
#include "read-file.h"

int nc_read_file(const char *path, size_t max, char **ret_text, size_t *ret_len) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        return nc_read_fd(fd, max, ret_text, ret_len);
}

int nc_read_fd(int fd, size_t max, char **ret_text, size_t *ret_len) {
        _cleanup_free_ char *text = NULL;
        size_t len = 0, capacity = 0;

        for (;;) {
                size_t room;
                ssize_t n;

                /* Room for one byte more and the NUL. */
                if (NC_GROW(text, capacity, len + 2, 4096) < 0)
                        return -ENOMEM;
                /* Up to max + 1 bytes: one more than allowed tells the file is too large. */
                room = capacity - 1 - len;
                if (room > max + 1 - len)
                        room = max + 1 - len;
                n = read(fd, text + len, room);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                len += (size_t) n;
                if (len > max)
                        return -EFBIG;
        }
        text[len] = '\0';
        *ret_text = TAKE_PTR(text);
        *ret_len = len;
        return 0;
}
