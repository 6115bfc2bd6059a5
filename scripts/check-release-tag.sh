#!/usr/bin/env bash
# Fail unless a release tag (vX.Y.Z) names FyneApp.toml's version, which
# names the packages and is linked into the binary (the CI workflow runs
# this before packaging a tag).
#
#   scripts/check-release-tag.sh v0.1.0
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 TAG" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$root/FyneApp.toml")"
if [ "$1" != "v$version" ]; then
  echo "check-release-tag: the tag is $1 but FyneApp.toml's Version is \"$version\":" \
       "set Version = \"${1#v}\" there (or tag v$version)" >&2
  exit 1
fi
echo "check-release-tag: $1 matches FyneApp.toml"
