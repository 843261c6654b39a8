// SPDX-License-Identifier: GPL-2.0
/*
 * igtb egress: the profile a device's sent frames must keep, enforced in
 * the driver's ndo_start_xmit before a frame goes anywhere, so that no
 * qdisc a tenant can delete or bypass (PACKET_QDISC_BYPASS) is involved.
 *
 * police: the policer of igtb_core.c on the transmit side; no queue.
 *
 * shape: a frame that does not conform yet waits in a small per-device
 * backlog, released by a per-device hrtimer and by the next sender (as tbf
 * dequeues on every enqueue); a frame that would wait longer than the
 * profile's latency is dropped and counted.  The timer has a slack
 * (igtb_shape_slack()): over the profile each expiry releases a batch of
 * frames, not one, and the buckets still decide what leaves.
 *
 * Why a timer-driven backlog and not earliest-departure-time stamping
 * (skb->tstamp from a per-device virtual clock, released by an fq qdisc):
 * - a napi_macvlan device also sends to local receivers, straight into
 *   their ring, where no qdisc would ever look at skb->tstamp: pod-to-pod
 *   traffic on one host would not be limited at all (Cilium's bandwidth
 *   manager has exactly that hole);
 * - EDT relies on an fq qdisc on the lower which the host must install
 *   and keep, and which other traffic on the lower shares;
 * - the virtual clock stamps departure times at enqueue, so a timer that
 *   fires late (a loaded host, a VM) releases frames in clumps beyond the
 *   burst.  Here each frame is charged to the bucket when it really
 *   leaves, so in any window the bytes that left are at most
 *   rate x window + burst (+ the frame that drew the bucket into debt),
 *   and lateness costs no long-term rate while the burst covers it.
 *
 * Locking: the bucket is the lockless GCRA of igtb_core.c; a frame that
 * conforms while the backlog is empty leaves without any lock.  The
 * backlog needs its spinlock (backlog.lock, taken in BH context only:
 * ndo_start_xmit and the softirq hrtimer): the release must look at the
 * head, charge it and unlink it as one step against senders appending, and
 * the byte and packet totals used for the latency bound must match the
 * list.  Only frames that already have to wait take it, so the lock is
 * contended only while the device is over its profile anyway.  Released
 * frames are sent after the lock is dropped (sending may come back to this
 * device: a local receiver that routes the frame back); eg->releasing keeps
 * a second context from pulling later frames meanwhile.
 *
 * A frame goes on its own, after a sender on another CPU may have found
 * the backlog empty and left first: frames of one flow come from one CPU
 * at a time (or are already unordered), so order within a flow is kept.
 */

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include <linux/igtb.h>

#include "igtb_core.h"

/* Pulls per release before the timer takes over (igtb_backlog_send()). */
#define IGTB_RELEASE_ROUNDS	4

/* What a waiting frame carries in skb->cb (ours in ndo_start_xmit). */
struct igtb_egress_cb {
	u64	enq_ns;
	u32	len;
	u32	segs;
};

static struct igtb_egress_cb *igtb_egress_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct igtb_egress_cb) > sizeof(skb->cb));
	return (struct igtb_egress_cb *)skb->cb;
}

static bool igtb_is_shaper(const struct igtb_profile *prof)
{
	return prof && prof->cfg.action == IGTB_ACTION_SHAPE;
}

/* Send released frames on, counting their wait; BH disabled. */
static void igtb_egress_send(struct igtb_egress *eg, struct sk_buff_head *q)
{
	u64 now = ktime_get_ns();
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q))) {
		struct igtb_egress_cb *cb = igtb_egress_cb(skb);

		igtb_account(&eg->slot, true, cb->segs, cb->len);
		igtb_account_delay(&eg->slot, now - cb->enq_ns);
		memset(cb, 0, sizeof(*cb));
		eg->xmit(eg, skb);
	}
}

/*
 * Under backlog.lock, BH disabled, under RCU-bh: move the frames that
 * conform now from the head of the backlog to @out, and arm the timer for
 * the first that does not.  Without a shaping profile (deleted, or
 * replaced by a policer) the whole backlog goes: those frames were
 * accepted.  Nothing moves while another context still sends what it took
 * (eg->releasing): that one pulls again when done, so frames leave in
 * order.  Outside the timer's own callback a queued timer is left alone.
 * Returns true when @out got frames: send them with igtb_backlog_send().
 */
static bool igtb_backlog_pull(struct igtb_egress *eg, struct sk_buff_head *out,
			      bool in_timer)
{
	struct igtb_profile *prof = rcu_dereference_bh(eg->slot.profile);
	struct sk_buff *skb;
	u64 wait, slack;

	if (eg->releasing)
		return false;
	while ((skb = skb_peek(&eg->backlog))) {
		struct igtb_egress_cb *cb = igtb_egress_cb(skb);

		if (igtb_is_shaper(prof) &&
		    !igtb_shape_take(prof, cb->len, cb->segs, &wait)) {
			if (in_timer || !hrtimer_is_queued(&eg->timer)) {
				slack = igtb_shape_slack(prof, cb->len,
							 cb->segs);
				wait += ktime_get_ns();
				hrtimer_start_range_ns(&eg->timer,
						       ns_to_ktime(wait),
						       slack,
						       HRTIMER_MODE_ABS_SOFT);
			}
			break;
		}
		__skb_unlink(skb, &eg->backlog);
		eg->backlog_bytes -= cb->len;
		eg->backlog_segs -= cb->segs;
		__skb_queue_tail(out, skb);
	}
	eg->releasing = !skb_queue_empty(out);
	return eg->releasing;
}

/*
 * Send what igtb_backlog_pull() took, then pull again (a few rounds: what
 * conformed meanwhile, frames other CPUs queued behind); past the rounds
 * the timer takes over at once.  BH disabled, under RCU-bh.
 */
static void igtb_backlog_send(struct igtb_egress *eg, struct sk_buff_head *out,
			      bool in_timer)
{
	int rounds = 0;

	while (!skb_queue_empty(out)) {
		igtb_egress_send(eg, out);
		spin_lock(&eg->backlog.lock);
		eg->releasing = false;
		if (++rounds < IGTB_RELEASE_ROUNDS)
			igtb_backlog_pull(eg, out, in_timer);
		else if (!skb_queue_empty(&eg->backlog))
			hrtimer_start(&eg->timer, ktime_get(),
				      HRTIMER_MODE_ABS_SOFT);
		spin_unlock(&eg->backlog.lock);
	}
}

/*
 * The timer: the head of the backlog conforms by now (or the backlog has
 * no shaping profile any more).  Senders release too (igtb_shape_one), so
 * a late timer costs no rate while frames keep coming; the timer is what
 * releases the backlog when they stop.
 */
static enum hrtimer_restart igtb_egress_timer(struct hrtimer *timer)
{
	struct igtb_egress *eg = container_of(timer, struct igtb_egress,
					      timer);
	struct sk_buff_head out;

	__skb_queue_head_init(&out);
	rcu_read_lock_bh();
	spin_lock(&eg->backlog.lock);
	igtb_backlog_pull(eg, &out, true);
	spin_unlock(&eg->backlog.lock);
	igtb_backlog_send(eg, &out, true);
	rcu_read_unlock_bh();
	return HRTIMER_NORESTART;
}

/*
 * Queue @skb (@len bytes, @segs segments as charged) at the backlog's tail
 * and release what conforms by now: what conforms leaves from here, as
 * tbf dequeues on every enqueue, so a timer that runs late (a loaded
 * host) delays the backlog by at most the gap to the next frame.  The pull
 * arms the timer for the head under the lock, so that arming and the
 * timer's decision to stop (an empty backlog) cannot cross.  Called with
 * the backlog lock held; drops it.
 */
static void igtb_backlog_queue(struct igtb_egress *eg, struct sk_buff *skb,
			       u64 len, u32 segs)
	__releases(&eg->backlog.lock)
{
	struct igtb_egress_cb *cb = igtb_egress_cb(skb);
	struct sk_buff_head out;
	bool pulled;

	cb->enq_ns = ktime_get_ns();
	cb->len = len;
	cb->segs = segs;
	eg->backlog_bytes += len;
	eg->backlog_segs += segs;
	__skb_queue_tail(&eg->backlog, skb);
	__skb_queue_head_init(&out);
	pulled = igtb_backlog_pull(eg, &out, false);
	spin_unlock(&eg->backlog.lock);
	if (pulled)
		igtb_backlog_send(eg, &out, false);
}

/*
 * Shape one frame (not GSO).  Returns true when it may leave now (charged
 * and counted); else it was queued or dropped.
 */
static bool igtb_shape_one(struct igtb_egress *eg, struct igtb_profile *prof,
			   struct sk_buff *skb)
{
	u32 segs;
	u64 len = igtb_skb_len(skb, &segs) + prof->cfg.overhead;
	u64 wait, slack;

	if (skb_queue_empty_lockless(&eg->backlog) &&
	    igtb_shape_take(prof, len, segs, &wait)) {
		igtb_account(&eg->slot, true, segs, len);
		return true;
	}

	slack = igtb_shape_slack(prof, len, segs);
	spin_lock(&eg->backlog.lock);
	wait = igtb_shape_wait(prof, eg->backlog_bytes + len,
			       eg->backlog_segs + segs);
	if (wait + slack > (u64)prof->cfg.latency_us * NSEC_PER_USEC) {
		spin_unlock(&eg->backlog.lock);
		igtb_account(&eg->slot, false, segs, len);
		kfree_skb(skb);
		return false;
	}
	igtb_backlog_queue(eg, skb, len, segs);
	return false;
}

/*
 * A GSO packet is shaped as the segments the wire will carry: shaped whole
 * it would leave as up to 64 KB in one go, beyond any burst smaller than
 * that.  The segments that may leave now go to eg->xmit right here.
 */
static void igtb_shape_gso(struct igtb_egress *eg, struct igtb_profile *prof,
			   struct sk_buff *skb)
{
	struct sk_buff *segs, *seg, *next;

	segs = skb_gso_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	if (IS_ERR_OR_NULL(segs)) {
		if (!segs && igtb_shape_one(eg, prof, skb)) {
			eg->xmit(eg, skb);
			return;
		}
		if (IS_ERR(segs)) {
			igtb_account(&eg->slot, false, 1, skb->len);
			kfree_skb(skb);
		}
		return;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (igtb_shape_one(eg, prof, seg))
			eg->xmit(eg, seg);
	}
}

/* Called through igtb_egress() with a profile or a backlog; BH disabled. */
bool __igtb_egress(struct igtb_egress *eg, struct igtb_profile *prof,
		   struct sk_buff *skb)
{
	u32 segs;
	u64 len;

	if (!igtb_is_shaper(prof)) {
		if (!skb_queue_empty_lockless(&eg->backlog)) {
			/* behind what a former shaper still holds */
			spin_lock(&eg->backlog.lock);
			if (!skb_queue_empty(&eg->backlog)) {
				len = igtb_skb_len(skb, &segs);
				igtb_backlog_queue(eg, skb, len, segs);
				return true;
			}
			spin_unlock(&eg->backlog.lock);
		}
		if (!prof)
			return false;
		if (__igtb_police(&eg->slot, prof, skb, false) == IGTB_PASS)
			return false;
		kfree_skb(skb);
		return true;
	}
	if (skb_is_gso(skb)) {
		igtb_shape_gso(eg, prof, skb);
		return true;
	}
	return !igtb_shape_one(eg, prof, skb);
}
EXPORT_SYMBOL_GPL(__igtb_egress);

int igtb_egress_init(struct igtb_egress *eg,
		     void (*xmit)(struct igtb_egress *eg, struct sk_buff *skb))
{
	skb_queue_head_init(&eg->backlog);
	eg->backlog_bytes = 0;
	eg->backlog_segs = 0;
	eg->releasing = false;
	hrtimer_setup(&eg->timer, igtb_egress_timer, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);
	eg->xmit = xmit;
	return igtb_slot_init(&eg->slot);
}
EXPORT_SYMBOL_GPL(igtb_egress_init);

/**
 * igtb_egress_flush - stop the shaper's timer and free its backlog
 * @eg: the egress side of a device that sends no more (closed or gone)
 *
 * Process context.  The frames are counted as dropped.
 */
void igtb_egress_flush(struct igtb_egress *eg)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	hrtimer_cancel(&eg->timer);
	__skb_queue_head_init(&q);
	spin_lock_bh(&eg->backlog.lock);
	skb_queue_splice_init(&eg->backlog, &q);
	eg->backlog_bytes = 0;
	eg->backlog_segs = 0;
	eg->releasing = false;
	spin_unlock_bh(&eg->backlog.lock);
	local_bh_disable();
	while ((skb = __skb_dequeue(&q))) {
		struct igtb_egress_cb *cb = igtb_egress_cb(skb);

		if (eg->slot.stats)
			igtb_account(&eg->slot, false, cb->segs, cb->len);
		kfree_skb(skb);
	}
	local_bh_enable();
}
EXPORT_SYMBOL_GPL(igtb_egress_flush);

/* igtb_slot_release() for the egress side, after igtb_egress_flush(). */
void igtb_egress_release(struct igtb_egress *eg)
{
	igtb_egress_flush(eg);
	igtb_slot_release(&eg->slot);
}
EXPORT_SYMBOL_GPL(igtb_egress_release);

/* Frames delayed, their total wait and frames dropped, for the driver. */
void igtb_egress_counters(const struct igtb_egress *eg, u64 *delayed,
			  u64 *delay_ns, u64 *dropped)
{
	struct igtb_stats st;

	igtb_slot_stats(&eg->slot, &st);
	*delayed = st.delayed_packets;
	*delay_ns = st.delay_ns;
	*dropped = st.exceed_packets;
}
EXPORT_SYMBOL_GPL(igtb_egress_counters);
