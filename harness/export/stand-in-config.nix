# A stand-in for a host's evaluated `config`, holding each kind of value
# ref/nix/export-containers.nix must turn into JSON or leave out; what it
# must write is stand-in-config.json beside it (test-export.sh).
let
  toplevel = { type = "derivation"; name = "nixos-system-web"; outPath = "/nix/store/00000000000000000000000000000000-nixos-system-web"; };
  flakeInput = { outPath = "/nix/store/00000000000000000000000000000000-source"; inputs = { }; };
  # A submodule's value: its config with _module (args hold functions).
  submodule = v: v // { _module = { args = { name = "x"; f = x: x; }; check = true; }; };
in
{
  system.nixos.release = "26.05";
  system.stateVersion = "24.11";
  boot.enableContainers = true;
  containers.web = submodule {
    config = throw "config: a whole NixOS configuration is never read";
    pkgs = throw "pkgs: a removed option is never read";
    path = toplevel;
    # A Nix path: its string, not copied into the store (it does not exist).
    nixpkgs = /nonexistent/nixpkgs;
    networkNamespace = null;
    privateUsers = 65536;
    autoStart = true;
    extraFlags = [ "--quiet" ];
    extraVeths.ve1 = submodule { hostAddress = "10.0.0.1"; forwardPorts = [ (submodule { hostPort = 80; }) ]; };
    specialArgs = {
      n = 1;
      s = "text";
      inherit flakeInput;
      f = x: x;
      list = [ "a" (x: x) flakeInput { a = 1; } ];
      packageSet = { hello = throw "never walked"; };
      fails = throw "not evaluated by the module";
    };
  };
  # An option the module never reads may not evaluate: left out.
  containers.flake = submodule {
    flake = "github:example/containers#flake";
    path = throw "conflicting definition values";
  };
}
