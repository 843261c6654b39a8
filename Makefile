# SPDX-License-Identifier: GPL-2.0
#
# napi_macvlan / igtb / vrctl
#
#   make              build both modules and vrctl (installs missing packages)
#   make check        host unit tests + every VM selftest; ends "N passed, N failed"
#   make check-debug  the VM selftests on a KASAN/lockdep/kmemleak kernel (long)
#   make demo         boot the VM and run the virtual-router demo
#   make bench        benchmarks (about 3 h; MODE=cost: instruction counts);
#                     make bench-quick (cost mode), make bench-repro (it twice)
#   make lint         checkpatch --strict, sparse, cppcheck
#   sudo make install modules, vrctl, man page, iproute2 plugin
#   make deb          napi-macvlan-dkms and vrctl .debs in build/deb/
#
# KDIR selects the kernel build tree; default: the running kernel's if it
# exists, else the newest /lib/modules/*/build.  VMLINUZ=BZIMAGE boots that
# kernel in the VM instead of /boot/vmlinuz-KVER (README "Tested kernels").

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

KDIR ?= $(shell d=/lib/modules/$$(uname -r)/build; \
	if [ -d "$$d" ]; then echo "$$d"; \
	else ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1; fi)
# The kernel release of KDIR: the VM boots the matching /boot/vmlinuz.
KVER = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

DESTDIR ?=
PREFIX ?= /usr
INSTALL_MOD_DIR ?= updates

export KDIR
# make check KDIR=TREE VMLINUZ=TREE/arch/x86/boot/bzImage: test another kernel
export VMLINUZ

.PHONY: all deps modules userspace selftests check check-host check-vm check-harness check-debug \
	demo bench bench-quick bench-repro lint install clean help deb check-deb

all: deps
	@$(MAKE) --no-print-directory modules userspace

help:
	@sed -n '3,16p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

deps:
	@$(TOP)/selftests/deps.sh

# Several builds may run at once (helpers, tests): serialize kbuild, which
# writes shared files (modules.order, Module.symvers) in the tree.
modules:
	@test -n "$(KDIR)" || { echo "no kernel build tree: run 'make deps'" >&2; exit 1; }
	flock $(TOP)/.build.lock $(MAKE) -C $(KDIR) M=$(TOP) modules

userspace:
	$(MAKE) -C $(TOP)/userspace

# Test programs the VM runs must be built on the host (the VM sees the tree
# read-only).
selftests: all
	@$(MAKE) --no-print-directory -s -C $(TOP)/selftests/fuzz
	@$(MAKE) --no-print-directory -s -C $(KDIR) M=$(TOP)/selftests/harness modules

check: selftests
	@$(TOP)/selftests/check.sh

# Debug kernel built once per machine (selftests/debug/README.md);
# make check-debug TESTS="selftests/tests/igtb_police.sh" for a subset.
check-debug: selftests
	@$(TOP)/selftests/debug/check.sh $(TESTS)

check-host: all
	@$(TOP)/selftests/check.sh --host-only

# make check-vm TESTS="selftests/tests/igtb_*.sh"
check-vm: selftests
	@$(TOP)/selftests/check.sh --vm-only $(TESTS)

demo: all
	@$(TOP)/selftests/vm/run.sh -c 2 -t 600 $(TOP)/selftests/demo.sh

# make bench: the suite the README's table stands on (suite.sh: B3 on 2
# vCPUs, then B1 B2 B2f B2fo B3 B4 B5 B8 in cost mode, results/suite/).
# MODE=cost: the cost instrument (one vCPU under icount; B1 B2 B2f B5 or
# SCENARIOS); MODE=tcg: 2-vCPU wall clock (B1 .. B6 or SCENARIOS); SCENARIOS
# without MODE: wall clock, only these (the others' results are kept)
bench: all
ifeq ($(MODE)$(SCENARIOS),)
	@$(TOP)/selftests/bench/suite.sh
else
	@$(TOP)/selftests/bench/run.sh $(if $(filter cost,$(MODE)),--cost) $(SCENARIOS)
endif

# cost mode, short; MODE=tcg: the old 2-vCPU wall-clock quick run
bench-quick: all
	@$(TOP)/selftests/bench/run.sh --quick $(if $(filter tcg,$(MODE)),,--cost) $(SCENARIOS)

# bench-quick (cost mode) twice back to back, every ratio side by side
bench-repro: all
	@$(TOP)/selftests/bench/repro.sh $(SCENARIOS)

lint: deps
	@$(TOP)/selftests/lint.sh

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install
	$(MAKE) -C $(TOP)/userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	install -D -m 0644 $(TOP)/packaging/vrctl.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/vrctl

# Debian packages (dpkg-buildpackage, debhelper, dh-dkms) into build/deb/;
# check-deb installs, tests (VM) and purges them (selftests/deb/check.sh).
deb: deps
	@$(TOP)/packaging/deb.sh

check-deb: deps
	@$(TOP)/selftests/deb/check.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	-$(MAKE) -C $(TOP)/userspace clean
	-$(MAKE) -C $(TOP)/selftests/fuzz clean
	-$(MAKE) -C $(KDIR) M=$(TOP)/selftests/harness clean
	rm -rf $(TOP)/build
