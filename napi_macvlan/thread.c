// SPDX-License-Identifier: GPL-2.0
/*
 * RX mode "thread": a device's frames from the lower get their MAC lookup
 * and igtb check in the lower's NAPI poll, as in rxmode direct, and then
 * go into the device's ring (receive.c, napi_macvlan_ring_push()); the
 * ring is served by the device's NAPI running threaded, a kernel thread
 * napi/<dev>-<napi id> of its own.  Everything the router does with the
 * frame (IP, netfilter, forwarding, its transmit) runs in that thread, so
 * it is charged to the thread's cgroup, limited by its cpu.max and runs on
 * the CPUs it is allowed; an overloaded router loses its excess at its
 * ring, at the cost of a lookup, a policer check and an enqueue on the
 * lower's CPU.
 *
 * The driver does not place the thread: the operator (vrctl, the CNI
 * plugin) writes the pid we report (IFLA_NAPI_MACVLAN_THREAD_PID) to a
 * cgroup's cgroup.procs and sets its affinity, with the permission checks
 * the kernel makes for anybody moving a task (cgroup delegation, the
 * cgroup's own cpuset), and can move it again at any time.  A threaded
 * NAPI thread is an ordinary kthread for that (not per-CPU, not
 * PF_NO_SETAFFINITY).
 *
 * The thread lives as long as the NAPI is threaded: created by
 * dev_set_threaded(), stopped by netif_napi_del() (device deletion,
 * module unload).  A netns move keeps it and its placement.  Before 6.17
 * turning threaded off leaves the thread idle; 6.17 ("net: stop napi
 * kthreads when THREADED drops") stops it, so a later switch back to
 * thread gives a new thread that must be placed again.
 *
 * The NAPI's threaded state can also be changed from outside, through
 * /sys/class/net/DEV/threaded, by anybody with CAP_NET_ADMIN over the
 * device's network namespace: the tenant.  Turning it off would move the
 * router's packet work out of its cgroup into softirq, charged to nobody.
 * So a device in rxmode thread whose ring is polled while the NAPI is not
 * threaded does no work there: the poll completes with the ring masked
 * (producers stop scheduling it; what does not fit is dropped and counted
 * as rx_ring_full) and queues thread_work, which turns threading back on
 * under RTNL and reschedules the ring.  Before 6.17 the thread that comes
 * back is the one that was placed; from 6.17 on it is a new thread, in
 * the root cgroup until the operator places it again (README, threat
 * model).
 */
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

#include "napi_macvlan.h"

/* Remember the NAPI thread while the device is in rxmode thread. RTNL */
static void napi_macvlan_thread_track(struct napi_macvlan_dev *vlan,
				      bool threaded)
{
	struct task_struct *t = READ_ONCE(vlan->napi.thread);

	put_pid(vlan->thread_pid);
	vlan->thread_pid = threaded && t ? get_task_pid(t, PIDTYPE_PID) : NULL;
}

/*
 * Switch @vlan's RX mode, under RTNL, while up or down, under traffic.
 * To thread: the thread exists and the NAPI is threaded before the first
 * frame from the lower is pushed into the ring.  To direct: frames stop
 * going into the ring first; those already there are served by the NAPI,
 * in the thread or, once it is no longer threaded, in softirq.  Either
 * way no frame is lost that the ring did not drop.
 */
int napi_macvlan_set_rxmode(struct napi_macvlan_dev *vlan, u32 rxmode)
{
	bool threaded = rxmode == NAPI_MACVLAN_RXMODE_THREAD;
	int err;

	ASSERT_RTNL();
	/*
	 * dev_set_threaded() takes the netdev instance lock itself on 6.15+;
	 * neither newlink nor changelink hold it for a device that did not
	 * opt in to it (see napi_macvlan_compat.h).
	 */
	if (threaded) {
		err = napi_macvlan_set_threaded(vlan->dev, true);
		if (err)
			return err;
		napi_macvlan_thread_track(vlan, true);
		/* pairs with READ_ONCE() in napi_macvlan_rx_threaded() */
		WRITE_ONCE(vlan->rxmode, rxmode);
		return 0;
	}
	WRITE_ONCE(vlan->rxmode, rxmode);
	napi_macvlan_thread_track(vlan, false);
	/* cannot fail when turning off; the ring is served either way */
	return napi_macvlan_set_threaded(vlan->dev, false);
}

/*
 * In the ring's poll: true when @vlan is in rxmode thread but its NAPI is
 * not threaded (see above); queues thread_work.  Busy polling from a
 * socket leaves the NAPI threaded and is charged to the socket's task.
 */
bool napi_macvlan_thread_lost(struct napi_macvlan_dev *vlan)
{
	if (likely(!napi_macvlan_rx_threaded(vlan) ||
		   test_bit(NAPI_STATE_THREADED, &vlan->napi.state)))
		return false;
	schedule_work(&vlan->thread_work);
	return true;
}

void napi_macvlan_thread_work(struct work_struct *work)
{
	struct napi_macvlan_dev *vlan =
		container_of(work, struct napi_macvlan_dev, thread_work);
	struct net_device *dev = vlan->dev;
	int err;

	rtnl_lock();
	if (dev->reg_state != NETREG_REGISTERED)
		goto out;
	if (napi_macvlan_rx_threaded(vlan) &&
	    !test_bit(NAPI_STATE_THREADED, &vlan->napi.state)) {
		err = napi_macvlan_set_threaded(dev, true);
		if (err) {
			/* the next poll queues us again */
			net_warn_ratelimited("%s: cannot restart the NAPI thread: %d\n",
					     dev->name, err);
		} else {
			napi_macvlan_thread_track(vlan, true);
			net_info_ratelimited("%s: NAPI threading was turned off in rxmode thread: turned back on\n",
					     dev->name);
		}
	}
	/* unmask, as the poll does after completing; a spurious poll is cheap */
	smp_store_mb(vlan->rx_notify_masked, false);
	if (napi_schedule_prep(&vlan->napi)) {
		WRITE_ONCE(vlan->rx_notify_masked, true);
		local_bh_disable();
		__napi_schedule(&vlan->napi);
		local_bh_enable();
	}
out:
	rtnl_unlock();
}

/* ndo_uninit, after netif_napi_del() stopped the thread */
void napi_macvlan_thread_release(struct napi_macvlan_dev *vlan)
{
	put_pid(vlan->thread_pid);
	vlan->thread_pid = NULL;
}

/*
 * The thread's pid in the pid namespace of whoever asks (fill_info runs
 * in the requester's task for a request, under RTNL); 0 when no thread
 * serves the ring: rxmode direct, or threaded turned off behind our back
 * (/sys/class/net/DEV/threaded), or when it is not visible from there (a
 * container's pid namespace).
 */
u32 napi_macvlan_thread_pid(const struct napi_macvlan_dev *vlan)
{
	u32 nr = 0;

	if (!vlan->thread_pid || !vlan->dev->threaded)
		return 0;
	/* the struct pid outlives the thread; pid_task() says if it is ours */
	rcu_read_lock();
	if (pid_task(vlan->thread_pid, PIDTYPE_PID))
		nr = pid_nr_ns(vlan->thread_pid, task_active_pid_ns(current));
	rcu_read_unlock();
	return nr;
}
