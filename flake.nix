{
  description = "nixcontainer: NixOS declarative containers as a C library and CLI, and a conformance suite";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: {
        nixcontainer = pkgs.callPackage ./package.nix { };
        default = self.packages.${pkgs.stdenv.hostPlatform.system}.nixcontainer;
      });

      # The package's own checks (doCheck: the unit tests and the
      # conformance suite; installCheck: the installed CLI and init).
      checks = forAllSystems (pkgs: {
        nixcontainer = self.packages.${pkgs.stdenv.hostPlatform.system}.nixcontainer;
      });

      overlays.default = final: prev: { nixcontainer = final.callPackage ./package.nix { }; };
    };
}
