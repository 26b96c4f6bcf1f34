/* The test binary's seams: the library's allocations and its netlink I/O
 * are linked through wrappers (ld --wrap=SYMBOL, see the Makefile), so a
 * test can make the Nth call fail on purpose. The library itself keeps no
 * state for this; only this test binary has the counters. */
#ifndef NC_FAULT_SEAMS_H
#define NC_FAULT_SEAMS_H

#include <stdbool.h>

typedef enum seam_kind {
        SEAM_ALLOCATION, /* malloc, calloc, realloc, strdup, strndup, asprintf, libnl/jansson allocators */
        SEAM_NETLINK,    /* nl_connect, nl_send_auto, nl_sendto, nl_recvmsgs */
} seam_kind;

/* Arms the seam: the `nth` call from now on (1-based) fails. 0 disarms it
 * and keeps what seam_calls() and seam_fired() report. */
void seam_fail_at(seam_kind kind, long nth);
/* Arms the seam to kill: the `nth` call from now on (1-based) raises
 * SIGKILL in this process instead of going ahead, so that a test can stop
 * a run between two of its requests. 0 disarms it. */
void seam_kill_at(seam_kind kind, long nth);
/* Calls made since the last seam_fail_at(), and whether the failure fired. */
long seam_calls(seam_kind kind);
bool seam_fired(seam_kind kind);

#endif
