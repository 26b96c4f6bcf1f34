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
  # nixos/lib/utils.nix's escapeSystemdPath, as systemd-escape --path
  # escapes a unit name's path (written here from its rules: the path
  # normalised and trimmed of "/", then ASCII punctuation as \xNN, a leading
  # "." as \x2e, "/" as "-").
  utils.escapeSystemdPath = s:
    let
      special = lib.stringToCharacters " !\"#$%&'()*+,;<=>=@[\\]^`{|}~-";
      hex = c: "\\x" + lib.toLower (lib.toHexString (lib.strings.charToInt c));
      escapeChar = c: if lib.elem c special then hex c else c;
      normal = lib.strings.normalizePath s;
      trimmed = if normal == "/" then normal else lib.removeSuffix "/" (lib.removePrefix "/" normal);
      escaped = lib.concatMapStrings escapeChar (lib.stringToCharacters trimmed);
      dotted = if lib.hasPrefix "." escaped then "\\x2e" + lib.removePrefix "." escaped else escaped;
    in
    builtins.replaceStrings [ "/" ] [ "-" ] dotted;
  hostStateVersion = input.hostStateVersion or "21.05";
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
      (lib.optionalAttrs (!moduleDeclares [ "system" "stateVersion" ]) {
        system.stateVersion = hostStateVersion;
        nix.package = fake "nix";
      })
    ];
  };
  cfg = evaluated.config;
  # NixOS refuses a system whose assertions fail (nixos/modules/system/
  # activation/top-level.nix); the refusal lists each failing message.
  failedAssertions = map (a: a.message) (builtins.filter (a: !a.assertion) cfg.assertions or [ ]);
  checked = if failedAssertions == [ ] then cfg
    else throw "\nFailed assertions:\n${lib.concatMapStringsSep "\n" (m: "- ${m}") failedAssertions}";
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
      # What NixOS's systemd module writes into the unit file. Evaluating it
      # forces the same type checks a system build forces (DeviceAllow needs
      # allowedDevices' node and modifier, TimeoutStartSec the timeout, ...).
      service = {
        inherit (u) description restartIfChanged;
        enableStrictShellChecks = u.enableStrictShellChecks or false;
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
  hosts = checked.networking.extraHosts;
  warnings = cfg.warnings or [ ];
  inherit hostStateVersion;
  template = unitFor "container@";
  containers = lib.mapAttrs (name: _: {
    conf = cfg.environment.etc.${envFileKey name}.text;
    envFile = "/etc/${envFileKey name}";
    unit = unitFor "container@${name}";
  }) containers;
}
