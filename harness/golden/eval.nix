# Evaluates nixos-containers.nix for one fixture with nixpkgs' lib.evalModules
# and returns what the golden generator needs: per container the env file text,
# the unit's environment, PATH and scripts; plus the hosts fragment.
#
# The host options the module sets are declared as plain options in
# host-stub.nix; `pkgs` is a stand-in whose writeScript puts the text in the
# store with builtins.toFile. A container's `config` (a whole NixOS
# configuration) is removed before evaluation: evaluating it needs all of
# nixpkgs, and the module ignores it when `path` is given.
#
# With `export = true`, it returns instead the host's containers as
# ref/nix/export-containers.nix writes them (golden/<set>/<fixture>/
# containers.json), the host being at `release` (its system.nixos.release;
# default the seed's).
{ lib, module, fixture, release ? "21.05", hostSystem ? "x86_64-linux", stateVersion ? null, export ? false }:
let
  input = builtins.fromJSON (builtins.readFile fixture);
  containers = builtins.mapAttrs (_: c: removeAttrs c [ "config" ]) input.containers;

  fake = name: "/nix/store/00000000000000000000000000000000-${name}";
  pkgs = {
    path = fake "nixpkgs";
    runtimeShell = "/bin/bash";
    iproute2 = fake "iproute2-5.11";
    # A derivation-like stand-in: 25.11 and later call .override and getExe.
    nixos-container = lib.fix (self: {
      outPath = fake "nixos-container";
      type = "derivation";
      name = "nixos-container";
      meta.mainProgram = "nixos-container";
      override = _: self;
    });
    stdenv.hostPlatform.system = hostSystem;
    writeScript = name: text: builtins.toFile name text;
  };
  # nixos/lib/utils.nix's escapeSystemdPath (25.11 and later escape the
  # device units of `interfaces` with it); checked against systemd-escape
  # --path by golden.sh.
  utils.escapeSystemdPath = import ./escape-systemd-path.nix lib;
  # The host's system.stateVersion: 22.11 and later choose their
  # directories by it (/etc/nixos-containers from 22.05 on).
  hostStateVersion = if stateVersion != null then stateVersion else input.hostStateVersion or "21.05";
  # The option paths the module declares itself (host-stub.nix declares the rest).
  moduleOptions = (import module { inherit lib pkgs utils; config = { }; options = { }; }).options;
  moduleDeclares = path: lib.hasAttrByPath path moduleOptions;
  systemd = fake "systemd-247.6";
  # nixos/modules/system/boot/systemd.nix appends these to every unit's path.
  defaultPath = map fake [ "coreutils-8.32" "findutils-4.8.0" "gnugrep-3.6" "gnused-4.8" ] ++ [ systemd ];

  evaluated = lib.evalModules {
    modules = [
      module
      (import ./host-stub.nix moduleDeclares)
      {
        _module.args = { inherit pkgs utils; };
        systemd.package = systemd;
        boot.kernelPackages.kernel.version = "5.10.0";
        nixpkgs.localSystem.system = hostSystem;
        inherit containers;
      }
      # A fixture's "bootEnableContainers": the host sets boot.enableContainers.
      (lib.optionalAttrs (input ? bootEnableContainers) { boot.enableContainers = input.bootEnableContainers; })
      (lib.optionalAttrs (!moduleDeclares [ "system" "nixos" "release" ]) { system.nixos.release = release; })
      (lib.optionalAttrs (!moduleDeclares [ "system" "stateVersion" ]) {
        system.stateVersion = hostStateVersion;
        nix.package = fake "nix";
      })
    ];
  };
  cfg = evaluated.config;
  # NixOS refuses a system whose assertions fail (nixos/modules/system/
  # activation/top-level.nix); the refusal lists each failing message (here on one line, so that the golden's
  # first line of the error holds them all).
  failedAssertions = map (a: a.message) (builtins.filter (a: !a.assertion) cfg.assertions or [ ]);
  checked = if failedAssertions == [ ] then cfg
    else throw "Failed assertions: ${lib.concatStringsSep "; " failedAssertions}";
  # environment.etc."containers/NAME.conf", or "nixos-containers/NAME.conf"
  # where the host's stateVersion is 22.05 or later (22.11 and later).
  envFileKey = name: lib.findFirst (k: k == "containers/${name}.conf" || k == "nixos-containers/${name}.conf")
    (throw "no env file for ${name}") (builtins.attrNames cfg.environment.etc);

  unitFor = unitName:
    let
      u = checked.systemd.services.${unitName};
      path = u.path ++ defaultPath;
    in {
      inherit (u) script preStart postStart environment;
      # Every unit property the module sets (the scripts are files of their
      # own), with the defaults of NixOS's systemd module where the golden
      # has always shown them. Evaluating it forces the same type checks a
      # system build forces (DeviceAllow needs allowedDevices' node and
      # modifier, TimeoutStartSec the timeout, ...). ExecReload is a store
      # path of a script the golden does not hold.
      service = {
        wantedBy = [ ];
        wants = [ ];
        after = [ ];
        restartTriggers = [ ];
      } // builtins.removeAttrs u [ "script" "preStart" "postStart" ] // {
        serviceConfig = builtins.removeAttrs u.serviceConfig [ "ExecReload" ];
      };
      # systemd.nix: PATH = makeBinPath path + ":" + makeSearchPathOutput "bin" "sbin" path
      PATH = lib.concatMapStringsSep ":" (p: "${p}/bin") path + ":"
           + lib.concatMapStringsSep ":" (p: "${p}/sbin") path;
      packages = path;
    };
in
if export then import ../../ref/nix/export-containers.nix checked else
{
  nspawn = "${systemd}/bin/systemd-nspawn";
  nixosContainer = "${pkgs.nixos-container}";
  hosts = checked.networking.extraHosts;
  warnings = cfg.warnings or [ ];
  inherit hostStateVersion;
  # 25.11 and later make boot.enableContainers default to "there are
  # declarative containers": without one, no container@ template either.
  template = if cfg.systemd.services ? "container@" then unitFor "container@" else null;
  containers = lib.mapAttrs (name: _: {
    conf = cfg.environment.etc.${envFileKey name}.text;
    envFile = "/etc/${envFileKey name}";
    unit = unitFor "container@${name}";
  }) containers;
}
