# make bench, row 3: the module evaluated as harness/golden/eval.nix evaluates
# it, for every container of one JSON file ({NAME: definition}, the file the
# ref reads): each container's env file, and its unit's start script and
# environment (the script, run, is what hands systemd-nspawn its argv).
# stateVersion: the host's system.stateVersion (null: 21.05), for a release
# whose module reads it.
{ lib, module, containers, stateVersion ? null }:
let
  fixture = builtins.toFile "bench-containers.json"
    (builtins.toJSON { containers = builtins.fromJSON (builtins.readFile containers); });
  evaluated = import ../harness/golden/eval.nix { inherit lib module fixture stateVersion; };
in
builtins.mapAttrs (name: c: { inherit (c) conf; inherit (c.unit) script environment; }) evaluated.containers
