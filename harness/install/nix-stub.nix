# package.nix and flake.nix evaluated against a minimal stub of what they
# call (nixpkgs' lib, stdenv.mkDerivation, callPackage, a flake's inputs):
# no nixpkgs is needed, nothing is built. test-nix.sh compares what this
# returns with what the files must say.
let
  lib = {
    cleanSource = src: src;
    licenses.mit = "mit";
    platforms.linux = [ "x86_64-linux" "aarch64-linux" ];
    genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
  };
  # mkDerivation's fixed point (finalAttrs), without a derivation.
  stdenv = {
    hostPlatform.system = "x86_64-linux";
    mkDerivation = f: let attrs = if builtins.isFunction f then f attrs else f; in attrs;
  };
  pkgs = {
    inherit lib stdenv;
    pkg-config = "pkg-config";
    libnl = "libnl";
    libcap = "libcap";
    jansson = "jansson";
    cunit = "cunit";
    callPackage = path: overrides:
      let f = import path; in f (builtins.intersectAttrs (builtins.functionArgs f) pkgs // overrides);
  };
  nixpkgs = {
    inherit lib;
    legacyPackages = { x86_64-linux = pkgs; aarch64-linux = pkgs; };
  };
  flake = import ../../flake.nix;
  self = flake.outputs { inherit self nixpkgs; };
  package = self.packages.x86_64-linux.nixcontainer;
  summary = p: {
    inherit (p) pname version doCheck checkTarget makeFlags outputs doInstallCheck installCheckPhase strictDeps enableParallelBuilding;
    inputs = p.nativeBuildInputs ++ p.buildInputs ++ p.checkInputs;
    inherit (p.meta) license mainProgram;
  };
in
{
  inputs = builtins.attrNames (flake.inputs);
  package = summary package;
  default = summary self.packages.aarch64-linux.default;
  check = summary self.checks.x86_64-linux.nixcontainer;
  overlay = summary (self.overlays.default pkgs pkgs).nixcontainer;
}
