#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the project's version, a valid Debian upstream version that sorts
# in commit order.  The kernel modules (MODULE_VERSION), vrctl --version
# and the .deb packages all take it from here.
#
#   a VERSION file at the top of the tree (written by `make deb` into the
#   DKMS source tree, which has no git)    its content
#   at tag vX.Y                            X.Y
#   N commits after tag vX.Y               X.Y+N.gHASH
#   no tag                                 0.0~gitYYYYMMDD.N.HASH
#                                          (commit date UTC, N commits)
#   uncommitted changes                    ... +dirty appended
#   no git, no VERSION                     0.0~unknown
top=$(cd "$(dirname "$0")/.." && pwd)

if [ -s "$top/VERSION" ]; then
	head -n 1 "$top/VERSION"
	exit 0
fi
# Only this tree's own git (not one the tree happens to be copied into).
if [ ! -e "$top/.git" ] || ! command -v git >/dev/null 2>&1; then
	echo "0.0~unknown"
	exit 0
fi
g()
{
	git -C "$top" "$@" 2>/dev/null
}
if d=$(g describe --tags --match 'v[0-9]*' --long); then
	# vX.Y-N-gHASH
	tag=${d%-*-g*}
	n=${d#"$tag"-}
	n=${n%%-*}
	hash=${d##*-g}
	v=${tag#v}
	[ "$n" -eq 0 ] || v=$v+$n.g$hash
elif hash=$(g rev-parse --short=7 HEAD); then
	date=$(TZ=UTC g log -1 --date=format-local:%Y%m%d --format=%cd HEAD)
	n=$(g rev-list --count HEAD)
	v=0.0~git$date.$n.$hash
else
	v=0.0~unknown
fi
# Tracked files changed (the tree's own build products are ignored).
if [ "$v" != 0.0~unknown ] && [ -n "$(g status --porcelain --untracked-files=no)" ]; then
	v=$v+dirty
fi
echo "$v"
