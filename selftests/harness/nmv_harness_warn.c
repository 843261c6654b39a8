// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test: a module that emits a kernel WARN when asked to, so
 * the VM runner can prove it turns a guest warning into a test failure.
 * Write 1 to /sys/module/nmv_harness_warn/parameters/trigger.
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static int nmv_harness_warn_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err;

	err = kstrtobool(val, &on);
	if (err)
		return err;
	WARN(on, "nmv_harness_warn: warning requested by the harness self-test\n");
	return 0;
}

static const struct kernel_param_ops nmv_harness_warn_ops = {
	.set = nmv_harness_warn_set,
};

module_param_cb(trigger, &nmv_harness_warn_ops, NULL, 0200);
MODULE_PARM_DESC(trigger, "write 1 to emit a WARN");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("napi_macvlan selftest harness: WARN on request");
