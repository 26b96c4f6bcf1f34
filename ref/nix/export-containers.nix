# A NixOS host's declarative containers as nixcontainer's input, from the
# host's evaluated `config` (what `nix eval --apply` is given):
#
#   { "format": "nixcontainer-containers/1",
#     "release": config.system.nixos.release,
#     "stateVersion": config.system.stateVersion,
#     "enableContainers": config.boot.enableContainers,
#     "containers": { NAME = every option the module declares for the
#                     container, with its evaluated value (defaults applied) } }
#
# Left out: `config` (a whole NixOS configuration; `path` is its toplevel)
# and `pkgs` (a removed option: reading it throws), and each submodule's
# `_module`, and an option whose value fails to evaluate: the module reads
# its options lazily, so a host can build with such a value in an option
# the module does not read (`path` given with `flake`: the module's own
# definition of `path` conflicts with it, and the start script uses only
# FLAKE). builtins.toJSON must be able to write the rest, so:
#   - a Nix path is its string, never copied into the store (`nixpkgs`,
#     `networkNamespace`);
#   - a derivation, or any set with an outPath (a flake input), is that
#     path (`path` is the container's toplevel when `config` is given);
#   - a function is "<not serialisable: function>";
#   - in `specialArgs` (values of any type, passed to the container's
#     modules), an attribute set that is not a path is "<not serialisable:
#     attribute set>" (it may be a whole package set or a flake's outputs,
#     which hold this host: walking it need not end), and a value whose
#     evaluation fails is "<not serialisable: evaluation fails>".
# String contexts are dropped: the file names store paths, it needs none of
# them built. No nixpkgs lib, and only builtins that Nix 2.2 has (the
# oldest Nix that nixpkgs 21.05 supports): the expression is the same for
# every release from 21.05 on.
config:
let
  inherit (builtins) attrNames deepSeq filter isAttrs isFunction isList isString listToAttrs mapAttrs
    removeAttrs tryEval typeOf unsafeDiscardStringContext;

  notSerialisable = what: "<not serialisable: ${what}>";
  isPathLike = v: typeOf v == "path" || (isAttrs v && v ? outPath);
  pathString = v: unsafeDiscardStringContext (toString v);

  # A value of an option the module declares; submodules (extraVeths,
  # bindMounts, forwardPorts, allowedDevices) are attribute sets.
  value = v:
    if isPathLike v then pathString v
    else if isFunction v then notSerialisable "function"
    else if isList v then map value v
    else if isAttrs v then mapAttrs (_: value) (removeAttrs v [ "_module" ])
    else if isString v then unsafeDiscardStringContext v
    else v;

  # One of specialArgs' values.
  argument = v:
    let evaluated = tryEval v; in
    if !evaluated.success then notSerialisable "evaluation fails"
    else if isPathLike v then pathString v
    else if isAttrs v then notSerialisable "attribute set"
    else if isList v then map argument v
    else value v;

  # Each option as { name, value }, the value fully evaluated (tryEval
  # catches a throw only where it is forced), or null if it fails.
  option = definition: name:
    let
      v = definition.${name};
      exported = if name == "specialArgs" then mapAttrs (_: argument) v else value v;
      evaluated = tryEval (deepSeq exported exported);
    in
    if evaluated.success then { inherit name; value = evaluated.value; } else null;

  container = definition:
    let names = attrNames (removeAttrs definition [ "config" "pkgs" "_module" ]); in
    listToAttrs (filter (o: o != null) (map (option definition) names));
in
{
  format = "nixcontainer-containers/1";
  release = config.system.nixos.release;
  stateVersion = config.system.stateVersion;
  # Without it the host has no container@ units (25.11: false by default on
  # a host without declarative containers).
  enableContainers = config.boot.enableContainers;
  containers = mapAttrs (_: container) config.containers;
}
