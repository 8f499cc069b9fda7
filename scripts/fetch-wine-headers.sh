#!/bin/sh
# fetch-wine-headers.sh <dest-dir> — unpack Debian's libwine-dev into <dest-dir> so that
# <dest-dir>/usr/include/wine/wine/windows/d3d9caps.h exists. tests/abi/ compares cpddi's public
# headers against these (CMake cache variable CPDDI_WINE_INCLUDE_DIR, default
# <build>/wine-headers/usr/include/wine/wine/windows).
#
# Idempotent: if the header is already there, nothing is done. Otherwise the package is fetched
# with `apt-get download` into a temporary directory (never `apt-get install`, which would pull
# in ~100 packages) and unpacked with `dpkg -x`. `apt-get update` runs only if the first download
# fails. Needs root (or password-less sudo) only for that `apt-get update`.
# Exit status: 0 when the header exists afterwards, 1 otherwise, 2 on a usage error.
set -eu

say() { printf 'fetch-wine-headers: %s\n' "$*"; }
die() { say "error: $*" >&2; exit 1; }

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 <dest-dir>" >&2
  exit 2
fi

mkdir -p "$1" || die "cannot create $1"
dest=$(cd "$1" && pwd) || die "cannot enter $1"
marker="$dest/usr/include/wine/wine/windows/d3d9caps.h"

if [ -f "$marker" ]; then
  say "$marker already present; nothing to do"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || die "apt-get not found (a Debian-based host is needed)"
command -v dpkg >/dev/null 2>&1 || die "dpkg not found"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root to run: $*"
  fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/cpddi-wine-headers.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT INT TERM
# apt drops privileges to _apt for downloads; let it write here to avoid the "unsandboxed" warning.
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
  chown _apt "$work" 2>/dev/null || true
fi

download() { (cd "$work" && apt-get download libwine-dev); }

say "downloading libwine-dev with apt-get download into $work"
if ! download; then
  say "download failed; running apt-get update and retrying"
  as_root apt-get update || die "apt-get update failed"
  download || die "apt-get download libwine-dev failed after apt-get update"
fi

set -- "$work"/libwine-dev_*.deb
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
  die "expected exactly one libwine-dev_*.deb in $work, found: $*"
fi
deb=$1

say "unpacking $(basename "$deb") into $dest with dpkg -x"
dpkg -x "$deb" "$dest" || die "dpkg -x $deb $dest failed"

[ -f "$marker" ] || die "$marker missing after unpacking $(basename "$deb")"
say "done: $marker"
