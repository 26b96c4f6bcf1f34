# nixcontainer for nixpkgs: `callPackage ./package.nix { }` (flake.nix does).
# The tests run in the build (doCheck): the unit tests and the conformance
# suite against the CLI just built; the other tiers need root, network
# namespaces or nix itself. What of this file was checked, and how:
# README.md, "Nix".
{
  lib,
  stdenv,
  pkg-config,
  libnl,
  libcap,
  jansson,
  cunit,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "nixcontainer";
  # NC_VERSION of ref/nixcontainer.h, the one place it is written.
  version =
    let
      lines = builtins.filter builtins.isString (builtins.split "\n" (builtins.readFile ./ref/nixcontainer.h));
      define = builtins.head (builtins.filter (line: builtins.match "#define NC_VERSION \"[^\"]*\"" line != null) lines);
    in
    builtins.head (builtins.match "#define NC_VERSION \"([^\"]*)\"" define);

  src = lib.cleanSource ./.;

  outputs = [ "out" "dev" "man" ];

  strictDeps = true;
  enableParallelBuilding = true;

  nativeBuildInputs = [ pkg-config ];
  # jansson: the Makefile asks pkg-config for every package's flags at once.
  buildInputs = [ libnl libcap jansson ];
  checkInputs = [ cunit ];

  # WERROR=0: -Werror is the project's own, not a packager's. LINK_STATIC=0:
  # nixpkgs' libnl and libcap come without static archives, so the CLI and
  # nixcontainer-init link them shared (the project's own build makes the
  # CLI a static PIE).
  makeFlags = [
    "WERROR=0"
    "LINK_STATIC=0"
    "PREFIX=${placeholder "out"}"
    "INCLUDEDIR=${placeholder "dev"}/include"
    "PKGCONFIGDIR=${placeholder "dev"}/lib/pkgconfig"
    "MANDIR=${placeholder "man"}/share/man"
  ];

  doCheck = true;
  checkTarget = "unit conformance";

  # The installed CLI names the installed init (found relative to itself)
  # in the argv it prints, here for a golden's container and a stand-in of
  # the guest system file its start script reads.
  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/nixcontainer --version | grep -F "nixcontainer ${finalAttrs.version} "
    $out/libexec/nixcontainer-init --version | grep -F "nixcontainer-init ${finalAttrs.version} "
    mkdir -p install-check && echo x86_64-linux > install-check/system
    echo "SYSTEM_PATH=$PWD/install-check" > install-check/bare.conf
    $out/bin/nixcontainer argv --env-file install-check/bare.conf \
      --config golden/21.05/minimal-path-only/containers.json bare > install-check/argv
    test "$(tail -n 2 install-check/argv | head -n 1)" = "$out/libexec/nixcontainer-init"
    runHook postInstallCheck
  '';

  meta = {
    description = "NixOS declarative containers as a C library and CLI, and a conformance suite";
    longDescription = ''
      A reference implementation of NixOS's declarative containers
      (nixos-containers.nix): from a JSON config it renders the env file,
      the hosts lines, the unit's properties, and the argv and environment
      systemd-nspawn is started with, for each release of the module it
      follows, and does the unit's network setup over netlink.
    '';
    license = lib.licenses.mit;
    platforms = lib.platforms.linux;
    mainProgram = "nixcontainer";
  };
})
