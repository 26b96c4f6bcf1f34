# systemd's unit name escaping of a path (systemd-escape --path), which
# NixOS's utils.escapeSystemdPath implements and 25.11 and later use for
# the device units of `interfaces`: the path normalised and trimmed of its
# leading and trailing "/", ASCII punctuation other than ":", "_" and "."
# as \xNN, a leading "." as \x2e, then "/" as "-". Written here from those
# rules; golden.sh compares it with systemd-escape on a corpus of names.
lib: s:
let
  special = lib.stringToCharacters " !\"#$%&'()*+,;<=>=@[\\]^`{|}~-";
  hex = c: "\\x" + lib.toLower (lib.toHexString (lib.strings.charToInt c));
  escapeChar = c: if lib.elem c special then hex c else c;
  normal = lib.strings.normalizePath s;
  trimmed = if normal == "/" then normal else lib.removeSuffix "/" (lib.removePrefix "/" normal);
  escaped = lib.concatMapStrings escapeChar (lib.stringToCharacters trimmed);
  dotted = if lib.hasPrefix "." escaped then "\\x2e" + lib.removePrefix "." escaped else escaped;
in
builtins.replaceStrings [ "/" ] [ "-" ] dotted
