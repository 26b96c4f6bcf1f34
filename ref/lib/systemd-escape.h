/* NixOS's utils.escapeSystemdPath (nixos/lib/utils.nix): a path as a unit
 * name part, as 26.05's module names the device units of `interfaces`
 * (sys-subsystem-net-devices-${utils.escapeSystemdPath i}.device). */
#ifndef NC_SYSTEMD_ESCAPE_H
#define NC_SYSTEMD_ESCAPE_H

/* `path` escaped as utils.escapeSystemdPath escapes it: runs of "/" made
 * one (lib.strings.normalizePath), one leading and one trailing "/"
 * dropped unless the path is "/", then each of
 * ` !"#$%&'()*+,;<=>@[\]^`{|}~-` as \xNN (lower-case hex, escapeC), a
 * leading "." as \x2e, and "/" as "-".
 * That is `systemd-escape --path` for every normalised path of printable
 * ASCII but "?". Where they differ, this follows NixOS: "?", control
 * characters and bytes above 0x7f stay as they are (systemd escapes them),
 * "." and ".." components stay (systemd refuses them) and "" stays ""
 * (systemd gives "-").
 * On success *ret_escaped is the caller's, freed with free(). Returns 0 or
 * -ENOMEM. */
int nc_escape_systemd_path(const char *path, char **ret_escaped);

#endif
