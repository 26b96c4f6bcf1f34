# Evaluates nixos-containers.nix for one fixture with nixpkgs' lib.evalModules
# and returns what the golden generator needs: per container the env file text,
# the unit's environment, PATH and scripts; plus the hosts fragment.
#
# The host options the module sets are declared as plain options in
# host-stub.nix; `pkgs` is a stand-in whose writeScript puts the text in the
# store with builtins.toFile. A container's `config` (a whole NixOS
# configuration) is removed before evaluation: evaluating it needs all of
# nixpkgs, and the module ignores it when `path` is given.
{ lib, module, fixture, hostSystem ? "x86_64-linux" }:
let
  input = builtins.fromJSON (builtins.readFile fixture);
  containers = builtins.mapAttrs (_: c: removeAttrs c [ "config" ]) input.containers;

  fake = name: "/nix/store/00000000000000000000000000000000-${name}";
  pkgs = {
    path = fake "nixpkgs";
    runtimeShell = "/bin/bash";
    iproute2 = fake "iproute2-5.11";
    nixos-container = fake "nixos-container";
    writeScript = name: text: builtins.toFile name text;
  };
  systemd = fake "systemd-247.6";
  # nixos/modules/system/boot/systemd.nix appends these to every unit's path.
  defaultPath = map fake [ "coreutils-8.32" "findutils-4.8.0" "gnugrep-3.6" "gnused-4.8" ] ++ [ systemd ];

  evaluated = lib.evalModules {
    modules = [
      module
      ./host-stub.nix
      {
        _module.args.pkgs = pkgs;
        systemd.package = systemd;
        boot.kernelPackages.kernel.version = "5.10.0";
        nixpkgs.localSystem.system = hostSystem;
        inherit containers;
      }
    ];
  };
  cfg = evaluated.config;

  unitFor = unitName:
    let
      u = cfg.systemd.services.${unitName};
      path = u.path ++ defaultPath;
    in {
      inherit (u) script preStart postStart environment;
      # What NixOS's systemd module writes into the unit file. Evaluating it
      # forces the same type checks a system build forces (DeviceAllow needs
      # allowedDevices' node and modifier, TimeoutStartSec the timeout, ...).
      service = {
        inherit (u) description restartIfChanged;
        serviceConfig = builtins.removeAttrs u.serviceConfig [ "ExecReload" ];
        unitConfig = u.unitConfig;
        wantedBy = u.wantedBy or [ ];
        wants = u.wants or [ ];
        after = u.after or [ ];
        restartTriggers = u.restartTriggers or [ ];
      };
      # systemd.nix: PATH = makeBinPath path + ":" + makeSearchPathOutput "bin" "sbin" path
      PATH = lib.concatMapStringsSep ":" (p: "${p}/bin") path + ":"
           + lib.concatMapStringsSep ":" (p: "${p}/sbin") path;
      packages = path;
    };
in
{
  nspawn = "${systemd}/bin/systemd-nspawn";
  hosts = cfg.networking.extraHosts;
  template = unitFor "container@";
  containers = lib.mapAttrs (name: _: {
    conf = cfg.environment.etc."containers/${name}.conf".text;
    unit = unitFor "container@${name}";
  }) containers;
}
