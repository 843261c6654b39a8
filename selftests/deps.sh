#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the project needs; quiet and quick when all
# are present.  Run as root (CI and these machines are root); otherwise
# print what is missing and fail.
set -eu

pkgs=(
	make gcc libc6-dev flex bison bc kmod cpio xz-utils	# module build
	linux-headers-amd64 linux-image-amd64			# target kernel
	qemu-system-x86 busybox-static				# VM
	libmnl-dev pkg-config					# vrctl
	iproute2 ethtool iperf3 dnsmasq-base python3 procps	# tests
	iputils-ping strace tcpdump nftables			# tests (nft: router firewalls)
	linux-source-6.1 sparse cppcheck			# lint
	gnuplot-nox						# bench charts
	containernetworking-plugins libjansson-dev		# CNI plugin, its tests
	dpkg-dev debhelper dh-dkms dkms lintian			# make deb, its test
	podman crun						# cni_podman.sh (rootful, CNI backend)
	rsync							# make check-debug (module copy)
	clang libbpf-dev					# bench B10 edt (tc BPF program)
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages: ${missing[*]} (run 'sudo make deps')" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The kernel source tarball is unpacked once for checkpatch and reading.
if [ ! -d /usr/src/linux-source-6.1 ] && [ -f /usr/src/linux-source-6.1.tar.xz ]; then
	[ "$(id -u)" -eq 0 ] && tar -C /usr/src -xf /usr/src/linux-source-6.1.tar.xz
fi
exit 0
