/* The library's own pieces of preStart (prestart.c) beyond nc_prestart(). */
#ifndef NC_PRESTART_H
#define NC_PRESTART_H

/* machinectl terminate "$INSTANCE" 2> /dev/null || true: runs machinectl
 * from $PATH with stderr on /dev/null and waits for it; every failure
 * (no machinectl, no such machine) is ignored, as the script does. */
void nc_machinectl_terminate(const char *name);

#endif
