# The host options that nixos-containers.nix reads or sets, declared as plain
# options so that the module can be evaluated with nothing but nixpkgs' lib/.
{ lib, ... }:
with lib;
let
  anything = mkOption { type = types.unspecified; default = null; };
  attrs = mkOption { type = types.attrsOf types.unspecified; default = { }; };
in
{
  options = {
    systemd.services = attrs;
    systemd.targets = attrs;
    systemd.package = anything;
    # Like NixOS's environment.etc: `source` defaults to a store file of `text`
    # (autoStart's restartTriggers read it).
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
  };
}
