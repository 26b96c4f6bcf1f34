/* utils.escapeSystemdPath of NixOS, byte for byte (systemd-escape.h).
 *
 *   escapeSystemdPath = s: let
 *       replacePrefix = p: r: s: (if (hasPrefix p s) then r + (removePrefix p s) else s);
 *       trim = s: removeSuffix "/" (removePrefix "/" s);
 *       normalizedPath = strings.normalizePath s;
 *     in replaceStrings [ "/" ] [ "-" ]
 *       (replacePrefix "." (strings.escapeC [ "." ] ".")
 *         (strings.escapeC (stringToCharacters " !\"#$%&'()*+,;<=>=@[\\]^`{|}~-")
 *           (if normalizedPath == "/" then normalizedPath else trim normalizedPath)));
 *
 * Our own: systemd's unit_name_path_escape() is not a library function on
 * Debian (libsystemd does not export it), and it escapes more than NixOS
 * does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "strbuf.h"
#include "systemd-escape.h"

/* The characters strings.escapeC is given ("=" is in the list twice). */
static const char escaped_characters[] = " !\"#$%&'()*+,;<=>@[\\]^`{|}~-";

static int append_escaped(nc_strbuf *b, char c) {
        return nc_strbuf_appendf(b, "\\x%02x", (unsigned) (unsigned char) c);
}

int nc_escape_systemd_path(const char *path, char **ret_escaped) {
        _cleanup_(nc_strbuf_free) nc_strbuf b = { 0 };
        const char *start = path, *end = path + strlen(path);
        size_t len;
        int r = 0;

        /* trim (unless normalizePath gives "/"): one "/" off each end, after
         * runs of "/" became one. A run at the start or the end is dropped
         * whole, as one "/" of the normalised path is. */
        while (start < end && *start == '/')
                start++;
        while (end > start && end[-1] == '/')
                end--;
        if (start == end && *path == '/')
                /* normalizedPath == "/": replaceStrings makes it "-". */
                return (*ret_escaped = strdup("-")) ? 0 : -ENOMEM;
        for (const char *p = start; p < end && r >= 0; p++) {
                if (*p == '/') {
                        /* normalizePath: a run of "/" is one; replaceStrings: "-". */
                        while (p + 1 < end && p[1] == '/')
                                p++;
                        r = nc_strbuf_append_char(&b, '-');
                } else if (p == start && *p == '.')
                        /* replacePrefix "." (escapeC [ "." ] ".") */
                        r = append_escaped(&b, *p);
                else if (strchr(escaped_characters, *p))
                        r = append_escaped(&b, *p);
                else
                        r = nc_strbuf_append_char(&b, *p);
        }
        return r < 0 ? r : nc_strbuf_steal(&b, ret_escaped, &len);
}
