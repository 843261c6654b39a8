#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb`: build napi-macvlan-dkms_VERSION_all.deb and
# vrctl_VERSION_ARCH.deb with dpkg-buildpackage (debhelper + dh-dkms) into
# build/deb/, from a copy of the tree (build/deb/napi-macvlan-VERSION) so
# nothing is written into the source tree, then run lintian on them.
# VERSION comes from packaging/version.sh (git) and is written into the
# copy's VERSION file, which the modules' Kbuild, vrctl's Makefile and the
# DKMS source tree read.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
version=$("$top/packaging/version.sh")
src=$out/napi-macvlan-$version

# Who built it: Debian's DEBFULLNAME/DEBEMAIL, else git's user.
name=${DEBFULLNAME:-$(git -C "$top" config user.name 2>/dev/null || true)}
email=${DEBEMAIL:-$(git -C "$top" config user.email 2>/dev/null || true)}
[ -n "$name" ] || name="napi-macvlan maintainers"
[ -n "$email" ] || email="root@$(hostname -f 2>/dev/null || hostname)"

rm -rf "$out"
mkdir -p "$src"
# The tracked files as they are in the work tree (no build products).
if [ -e "$top/.git" ]; then
	(cd "$top" && git ls-files -z | while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"
	done | cpio -0 -pdm --quiet "$src")
else
	tar -C "$top" --exclude=./build --exclude='*.o' --exclude='*.ko' -cf - . |
		tar -C "$src" -xf -
fi
echo "$version" > "$src/VERSION"
echo "$version" > "$out/version"
cp -R "$top/packaging/debian" "$src/debian"
sed -i "s|@MAINTAINER@|$name <$email>|" "$src/debian/control"
# The changelog's date is the commit's, so a rebuild gives the same package.
date=$(git -C "$top" log -1 --format=%cD 2>/dev/null || date -R)
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
cat > "$src/debian/changelog" <<EOT
napi-macvlan ($version) unstable; urgency=medium

  * Built from git commit $commit.

 -- $name <$email>  $date
EOT

echo "deb: building $version in $src"
(cd "$src" && dpkg-buildpackage -b -us -uc -j1) > "$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed (build/deb/build.log)" >&2
	exit 1
}
rm -rf "$src"
echo "deb: lintian"
lintian --fail-on error "$out"/*.changes || {
	echo "deb: lintian found errors" >&2
	exit 1
}
ls -1 "$out"/*.deb
