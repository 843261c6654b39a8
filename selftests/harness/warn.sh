#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM for the harness self-test: succeed, but make the kernel
# WARN.  The runner must still report a failure (exit 90).
set -e
insmod "$(dirname "$0")/nmv_harness_warn.ko"
echo 1 > /sys/module/nmv_harness_warn/parameters/trigger
rmmod nmv_harness_warn
echo "warn.sh: WARN triggered, command itself succeeds"
