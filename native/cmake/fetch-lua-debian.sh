#!/bin/sh
# Fetches the orig tarball of Debian's source package lua5.4 into $1.
# It reuses the mirror URI of the system's apt sources and keeps every
# piece of apt state in a private temporary directory, so the system's own
# apt setup is neither read for packages nor changed.
set -eu
out=${1:?usage: fetch-lua-debian.sh OUTDIR}
pkg=lua5.4
ver=5.4.7-1
suite=trixie

command -v apt-get >/dev/null 2>&1 || {
  echo "fetch-lua-debian: apt-get not found; pass -DLUA_SOURCE_ARCHIVE=lua-5.4.7.tar.gz" >&2
  exit 1
}

# First Debian main-archive URI configured (deb822 or one-line format).
uri=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
  [ -n "$uri" ] && break
done
if [ -z "$uri" ]; then
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { if ($i !~ /security/) { print $i; exit } } }' "$f")
    [ -n "$uri" ] && break
  done
fi
[ -n "$uri" ] || { echo "fetch-lua-debian: no Debian mirror found in the apt sources" >&2; exit 1; }

state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/parts"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
opt=""
[ -f "$keyring" ] && opt="[signed-by=$keyring] "
echo "deb-src ${opt}${uri} ${suite} main" > "$state/sources.list"

apt() {
  apt-get -q \
    -o Dir::Etc::SourceList="$state/sources.list" \
    -o Dir::Etc::SourceParts="$state/parts" \
    -o Dir::State::Lists="$state/lists" \
    -o Dir::Cache="$state/cache" \
    -o Debug::NoLocking=1 \
    -o APT::Sandbox::User=root \
    "$@"
}

apt update >&2
mkdir -p "$out"
cd "$out"
apt source --download-only "$pkg=$ver" >&2
ls "$out"/${pkg}_5.4.7.orig.tar.gz >/dev/null
