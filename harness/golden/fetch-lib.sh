#!/usr/bin/env bash
# Puts nixpkgs' lib/ at COMMIT into .cache/nixpkgs-lib/COMMIT/ (ignored by
# git: fetched code is never committed), with the .version file lib/ wants
# beside it. Does nothing when it is already there.
#
#   fetch-lib.sh COMMIT RELEASE [REPOSITORY]
#
# Libs of 2021 read ../.version, which the repository does not hold: it is
# written with RELEASE. Later libs carry lib/.version.
# REPOSITORY: a clone of nix-community/nixpkgs.lib, or its URL (default);
# a URL is cloned once into .cache/nixpkgs.lib.git.
set -euo pipefail
. "$(dirname "$0")/../lib/tier.sh"
tier_help "$@"
commit=$1 release=$2
repo=${3:-https://github.com/nix-community/nixpkgs.lib}
dest=.cache/nixpkgs-lib/$commit
[ -f "$dest/lib/default.nix" ] && exit 0
if [ ! -d "$repo" ]; then
        [ -d .cache/nixpkgs.lib.git ] || git clone --quiet --bare "$repo" .cache/nixpkgs.lib.git
        repo=.cache/nixpkgs.lib.git
fi
mkdir -p "$dest.tmp"
git -C "$repo" archive "$commit" lib | tar -x -C "$dest.tmp"
[ -f "$dest.tmp/lib/.version" ] || echo "$release" > "$dest.tmp/.version"
mv "$dest.tmp" "$dest"
echo "fetch-lib.sh: nixpkgs lib $commit in $dest"
