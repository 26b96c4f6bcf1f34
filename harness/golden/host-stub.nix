# The host options that nixos-containers.nix reads or sets, declared as plain
# options so that the module can be evaluated with nothing but nixpkgs' lib/.
#
# Releases declare different options themselves (22.11 and later declare
# boot.isNspawnContainer, 21.05 does not read system.stateVersion), and an
# option declared twice is an error, so the stub is a function of what the
# module declares: `moduleDeclares` is a predicate on an option path (a list
# of attribute names), computed by eval.nix from the module's own `options`.
moduleDeclares:
{ lib, config, ... }:
with lib;
let
  anything = mkOption { type = types.unspecified; default = null; };
  attrs = mkOption { type = types.attrsOf types.unspecified; default = { }; };
  # An option the stub declares only where the module does not.
  unlessDeclared = path: option:
    optionalAttrs (!moduleDeclares path) (setAttrByPath path option);
in
{
  options = foldl' recursiveUpdate { } [
    {
      systemd.services = attrs;
      systemd.targets = attrs;
      systemd.package = anything;
      # Like NixOS's environment.etc: `source` defaults to a store file of
      # `text` (autoStart's restartTriggers read it).
      environment.etc = mkOption {
        default = { };
        type = types.attrsOf (types.submodule ({ name, config, ... }: {
          options.text = mkOption { type = types.nullOr types.lines; default = null; };
          options.source = mkOption { type = types.unspecified; };
          config.source = mkIf (config.text != null) (builtins.toFile (baseNameOf name) config.text);
        }));
      };
      environment.systemPackages = mkOption { type = types.listOf types.unspecified; default = [ ]; };
      networking.extraHosts = mkOption { type = types.lines; default = ""; };
      networking.dhcpcd.denyInterfaces = mkOption { type = types.listOf types.str; default = [ ]; };
      networking.networkmanager.enable = mkOption { type = types.bool; default = false; };
      services.udev.extraRules = mkOption { type = types.lines; default = ""; };
      boot.kernelModules = mkOption { type = types.listOf types.str; default = [ ]; };
      boot.kernelPackages = anything;
      nixpkgs.localSystem.system = mkOption { type = types.str; default = "x86_64-linux"; };
    }
    # Read by 22.11 and later. NixOS declares these in
    # nixos/modules/misc/assertions.nix, misc/meta.nix, misc/version.nix,
    # services/system/nix-daemon.nix and virtualisation/containers.nix.
    (unlessDeclared [ "assertions" ] (mkOption { type = types.listOf types.unspecified; default = [ ]; }))
    (unlessDeclared [ "warnings" ] (mkOption { type = types.listOf types.str; default = [ ]; }))
    (unlessDeclared [ "meta" ] attrs)
    (unlessDeclared [ "system" "stateVersion" ] (mkOption { type = types.str; default = "21.05"; }))
    # Read by ref/nix/export-containers.nix (nixos/modules/misc/version.nix).
    (unlessDeclared [ "system" "nixos" "release" ] (mkOption { type = types.str; }))
    (unlessDeclared [ "nix" "package" ] anything)
    (unlessDeclared [ "boot" "enableContainers" ] (mkOption { type = types.bool; default = true; }))
    (unlessDeclared [ "boot" "isNspawnContainer" ] (mkOption { type = types.bool; default = false; }))
    (unlessDeclared [ "virtualisation" "containers" "enable" ] (mkOption { type = types.bool; default = false; }))
  ];
}
