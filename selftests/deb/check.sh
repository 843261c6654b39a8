#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packages, end to end, on the machine running the tests (it must be
# disposable: the packages are installed and purged as root):
#   make deb; apt-get install both; DKMS built the modules for the test
#   kernel; versions agree; in the VM, modprobe loads the DKMS build and the
#   installed ip plugin and vrctl work (selftests/deb/guest.sh); purge;
#   nothing is left.
# Prints KTAP.  The packages are purged on any exit, so the other VM tests
# (which insmod the tree's own build) can never get the DKMS modules, e.g.
# through modprobe or an "rtnl-link-napi_macvlan" module autoload.

. "$(dirname "$0")/../lib.sh"

PKGS=(napi-macvlan-dkms vrctl)
GUEST_CASES=4
DKMS_NAME=napi-macvlan
: "${KDIR:=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)}"
KVER=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' \
	"$KDIR/include/generated/utsrelease.h" 2>/dev/null)
OUT=$TOP/build/deb
LIST=$OUT/files.list
APT=(apt-get -y -q -o DPkg::Lock::Timeout=900)
export DEBIAN_FRONTEND=noninteractive

installed()
{
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'
}

skip_all()
{
	ktap_plan 1
	ktap_result skip "packages: install, DKMS, VM, purge" "$1"
	ktap_finish
}

[ "$(id -u)" -eq 0 ] || skip_all "needs root: installs and purges packages"
[ -n "$KVER" ] || skip_all "no kernel headers under $KDIR"
# DKMS builds for installed kernels with headers; a kernel booted from a
# build tree (VMLINUZ) is not one.
[ -z "${VMLINUZ:-}" ] || [ -d "/lib/modules/$KVER/build" ] ||
	skip_all "VMLINUZ=$VMLINUZ is not an installed kernel with headers (DKMS)"
for p in "${PKGS[@]}"; do
	# a user's own installation is not the test's to replace
	installed "$p" && skip_all "$p is already installed on this machine"
done

purge()
{
	local p

	for p in "${PKGS[@]}"; do
		if dpkg-query -W "$p" >/dev/null 2>&1; then
			"${APT[@]}" purge "${PKGS[@]}" >"$OUT/purge.log" 2>&1
			return
		fi
	done
	return 0
}
trap 'purge >/dev/null 2>&1' EXIT
trap 'exit 1' INT TERM

ktap_plan $((8 + GUEST_CASES))

test_make_deb()
{
	make --no-print-directory -C "$TOP" deb
}
run_test "make deb builds both packages, lintian finds no error" test_make_deb
VERSION=$(cat "$OUT/version" 2>/dev/null)

test_install()
{
	local debs

	debs=("$OUT"/napi-macvlan-dkms_*_all.deb "$OUT"/vrctl_*.deb)
	[ -e "${debs[0]}" ] && [ -e "${debs[1]}" ] || fail "no .deb in $OUT" || return
	"${APT[@]}" install --no-install-recommends "${debs[@]}" >"$OUT/install.log" 2>&1 || {
		tail -n 30 "$OUT/install.log"
		fail "apt-get install failed (build/deb/install.log)" || return
	}
	# every file the packages installed, for the "nothing left" case
	dpkg -L "${PKGS[@]}" | while read -r f; do
		[ -d "$f" ] || echo "$f"
	done > "$LIST"
	grep -E 'dkms|Building|Installing|Error' "$OUT/install.log" | head -n 20
}
run_test "apt-get install ./napi-macvlan-dkms_*.deb ./vrctl_*.deb" test_install

test_dkms_status()
{
	local s

	s=$(dkms status -m "$DKMS_NAME" -v "$VERSION" -k "$KVER")
	echo "$s"
	echo "$s" | grep -q ": installed" ||
		fail "dkms status: not installed for $KVER: $s" || return
	check_ok "igtb.ko in updates/dkms" test -e "/lib/modules/$KVER/updates/dkms/igtb.ko"
	check_ok "napi_macvlan.ko in updates/dkms" \
		test -e "/lib/modules/$KVER/updates/dkms/napi_macvlan.ko"
}
run_test "dkms status: napi-macvlan/$VERSION built and installed for $KVER" test_dkms_status

test_versions()
{
	local m

	check_eq "package version" "$VERSION $VERSION" \
		"$(dpkg-query -W -f='${Version} ' "${PKGS[@]}" | sed 's/ $//')" || return
	check_eq "vrctl --version" "vrctl $VERSION" "$(/usr/sbin/vrctl --version)" || return
	for m in igtb napi_macvlan; do
		check_eq "modinfo $m" "$VERSION" \
			"$(modinfo -F version "/lib/modules/$KVER/updates/dkms/$m.ko")" || return
	done
	check_eq "dkms source tree" "$VERSION" "$(cat "/usr/src/$DKMS_NAME-$VERSION/VERSION")"
}
run_test "package, vrctl --version and modinfo versions agree" test_versions

test_files()
{
	local f multiarch

	multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	for f in /usr/sbin/vrctl /usr/share/man/man8/vrctl.8.gz \
		 "/usr/lib/$multiarch/ip/link_napi_macvlan.so" /usr/lib/cni/napi-macvlan \
		 /usr/share/bash-completion/completions/vrctl \
		 "/usr/src/$DKMS_NAME-$VERSION/dkms.conf"; do
		grep -qxF "$f" "$LIST" || fail "$f not installed by the packages" || return
	done
	# the path Debian's ip dlopens link plugins from
	strings "$(command -v ip)" | grep -qxF "/usr/lib/$multiarch/ip" ||
		fail "ip does not look in /usr/lib/$multiarch/ip" || return
	grep -q '^AUTOINSTALL="yes"' "/usr/src/$DKMS_NAME-$VERSION/dkms.conf" ||
		fail "dkms.conf: no AUTOINSTALL" || return
}
run_test "installed files: vrctl, man page, ip plugin, CNI plugin, completion, dkms.conf" test_files

test_vm()
{
	local log=$OUT/vm.log n=0 line rc

	if ! installed vrctl || ! installed napi-macvlan-dkms; then
		for n in $(seq "$((GUEST_CASES + 1))"); do
			ktap_result fail "VM part $n" "packages not installed"
		done
		return
	fi
	"$TOP/selftests/vm/run.sh" -k "$KVER" -c 1 -t 600 \
		"$TOP/selftests/deb/guest.sh" "$VERSION" >"$log" 2>&1
	rc=$?
	# the serial console ends lines with \r\n
	tr -d '\r' < "$log" | sed -n '/^TAP version/,$p' | grep -Ev '^(TAP version|1\.\.|# Totals)' |
		grep -v '^\(not \)\{0,1\}ok [0-9]' | sed 's/^/# /'
	# the guest's cases, renumbered into this program's KTAP
	while read -r line; do
		n=$((n + 1))
		case $line in
		"ok "*"# SKIP "*) ktap_result skip "$(echo "$line" | sed -E 's/^ok [0-9]+ (.*) # SKIP .*/\1/')" \
			"${line##*# SKIP }" ;;
		"ok "*) ktap_result pass "$(echo "$line" | sed -E 's/^ok [0-9]+ //')" ;;
		*) ktap_result fail "$(echo "$line" | sed -E 's/^not ok [0-9]+ ([^#]*)( # .*)?/\1/')" \
			"$(echo "$line" | sed -nE 's/.* # //p')" ;;
		esac
	done < <(tr -d '\r' < "$log" | grep -aE '^(not )?ok [0-9]+ ')
	while [ "$n" -lt "$GUEST_CASES" ]; do
		n=$((n + 1))
		ktap_result fail "VM case $n" "no result from the VM (build/deb/vm.log)"
	done
	# run.sh: 90 = the guest kernel logged a WARN/BUG/oops, 91 = no result
	if [ "$rc" -eq 0 ]; then
		ktap_result pass "VM run: guest exited 0, no kernel warning"
	else
		grep -a 'run.sh:' "$log" | head -n 20 | sed 's/^/# /'
		ktap_result fail "VM run: guest exited 0, no kernel warning" \
			"selftests/vm/run.sh exit $rc (build/deb/vm.log)"
	fi
}
test_vm

test_purge()
{
	"${APT[@]}" purge "${PKGS[@]}" >"$OUT/purge.log" 2>&1 || {
		tail -n 30 "$OUT/purge.log"
		fail "apt-get purge failed (build/deb/purge.log)" || return
	}
	for p in "${PKGS[@]}"; do
		! dpkg-query -W "$p" >/dev/null 2>&1 || fail "$p still known to dpkg" || return
	done
}
run_test "apt-get purge napi-macvlan-dkms vrctl" test_purge

test_nothing_left()
{
	local f left

	[ -s "$LIST" ] || fail "no file list from the install" || return
	while read -r f; do
		[ ! -e "$f" ] || fail "left after purge: $f" || return
	done < "$LIST"
	for f in "/usr/src/$DKMS_NAME-$VERSION" "/var/lib/dkms/$DKMS_NAME" /etc/dkms/$DKMS_NAME.conf; do
		[ ! -e "$f" ] || fail "left after purge: $f" || return
	done
	left=$(find /lib/modules -path '*/updates/dkms/*' \
		\( -name 'igtb.ko*' -o -name 'napi_macvlan.ko*' \) 2>/dev/null)
	[ -z "$left" ] || fail "modules left: $left" || return
	! grep -qE '(igtb|napi_macvlan)\.ko' "/lib/modules/$KVER/modules.dep" ||
		fail "modules.dep of $KVER still lists them" || return
}
run_test "nothing left: package files, /usr/src, /var/lib/dkms, .ko files, modules.dep" test_nothing_left

ktap_finish
