/* preStart's pieces that the bench reuses to time variants of it. */
#ifndef NC_PRESTART_H
#define NC_PRESTART_H

/* machinectl terminate "$INSTANCE" 2> /dev/null || true */
void nc_machinectl_terminate(const char *name);

#endif
