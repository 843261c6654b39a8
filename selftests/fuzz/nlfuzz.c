// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: netlink fuzzer for the igtb generic netlink family and for
 * rtnetlink links of kind napi_macvlan.
 *
 *   nlfuzz [--seed N] [--count N] [--family igtb|rtnl|all]
 *          [--lower IFNAME] [--new-netns] [--verbose]
 *
 * With --family igtb the fuzzer makes four napi_macvlan devices of its own
 * to act on (and deletes them at exit); it can run next to an rtnl fuzzer
 * in the same namespace, which then also exercises igtb requests racing
 * with device creation and deletion.
 *
 * Every message has a valid netlink header (and genetlink header for
 * igtb); what follows is random: attributes of known and unknown types,
 * right and wrong lengths, extreme and boundary values, duplicates,
 * truncation, nesting flags.  Half of the messages are mutations (bit
 * flips, length changes, swaps, duplication, removal, truncation) of a
 * corpus of messages the kernel accepted earlier in the run.
 *
 * Each request asks for an ACK, and every reply is read: an error must be
 * a negative errno from a known-sane set, else it is reported and the run
 * fails.  A summary counts messages sent, accepted, rejected by errno and
 * how many rejections carried an extack message.
 *
 * Safety: the fuzzer only acts on the devices of its own network namespace
 * (run it in a dedicated one: --new-netns, or `ip netns exec`).  Requests
 * that would leave that namespace or touch devices that are not ours are
 * defused before sending: netns-moving and group attributes are renamed to
 * an unknown type, SETLINK/DELLINK never target a device that is not a
 * napi_macvlan, and IFLA_INFO_KIND is always "napi_macvlan" or empty (an
 * unknown kind would make the kernel run modprobe).  At exit every
 * napi_macvlan of the namespace is deleted.
 *
 * Exit status: 0 all replies sane, 1 unexpected errno / missing reply /
 * leftover device, 2 setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include <linux/igtb.h>
#include <linux/napi_macvlan.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MSG_MAX		4096
#define RX_BUF		(128 * 1024)
#define MAX_DEVS	64
#define MAX_OURS	6	/* no new devices beyond this many */
#define CORPUS_SIZE	64
#define REPLY_TIMEOUT_MS 10000
#define MAX_ERRNO	4096

/* attribute walking with the kernel's nla_ok() / nla_next() semantics */
#define NLA_OK(nla, rem)	((rem) >= (int)NLA_HDRLEN && \
				 (nla)->nla_len >= NLA_HDRLEN && \
				 (int)(nla)->nla_len <= (rem))
#define NLA_NEXT(nla, rem)	((rem) -= NLA_ALIGN((nla)->nla_len), \
				 (void *)((char *)(nla) + NLA_ALIGN((nla)->nla_len)))
#define NLA_DATA(nla)		((void *)((char *)(nla) + NLA_HDRLEN))
#define NLA_PAYLOAD(nla)	((int)(nla)->nla_len - NLA_HDRLEN)

enum fam { FAM_IGTB, FAM_RTNL, FAM_NUM };
static const char *const fam_name[FAM_NUM] = { "igtb", "rtnl" };

/* --- seeded PRNG (xorshift64*): the only source of randomness ------------ */

static uint64_t rng;

static uint64_t rnd64(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

/* uniform in [0, n), n > 0 */
static uint32_t rnd(uint32_t n)
{
	return (uint32_t)((rnd64() >> 32) % n);
}

static bool chance(unsigned int percent)
{
	return rnd(100) < percent;
}

#define PICK(arr)	((arr)[rnd(ARRAY_SIZE(arr))])

static void rnd_bytes(void *p, size_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = (unsigned char)rnd64();
}

/* --- message building ----------------------------------------------------- */

struct msg {
	unsigned char buf[MSG_MAX];
	size_t len;
	size_t hdrlen;	/* nlmsghdr + family header: never mutated blindly */
	enum fam fam;
	uint16_t type;	/* RTM_* or the genl family id */
	uint8_t cmd;	/* genl command */
};

static struct nlmsghdr *msg_hdr(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static void msg_init(struct msg *m, enum fam fam, uint16_t type,
		     uint16_t flags, const void *fhdr, size_t fhdrlen)
{
	struct nlmsghdr *nlh = msg_hdr(m);

	memset(m->buf, 0, NLMSG_HDRLEN + NLMSG_ALIGN(fhdrlen));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	memcpy(m->buf + NLMSG_HDRLEN, fhdr, fhdrlen);
	m->len = NLMSG_HDRLEN + NLMSG_ALIGN(fhdrlen);
	m->hdrlen = m->len;
	m->fam = fam;
	m->type = type;
}

static bool msg_room(const struct msg *m, size_t n)
{
	return m->len + NLA_ALIGN(NLA_HDRLEN + n) <= MSG_MAX;
}

/* Append an attribute; a payload of NULL means random bytes. */
static struct nlattr *put_attr(struct msg *m, uint16_t type, const void *data,
			       size_t len)
{
	struct nlattr *nla = (struct nlattr *)(m->buf + m->len);
	size_t tot = NLA_ALIGN(NLA_HDRLEN + len);

	if (!msg_room(m, len))
		return NULL;
	memset(nla, 0, tot);
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy((char *)nla + NLA_HDRLEN, data, len);
	else
		rnd_bytes((char *)nla + NLA_HDRLEN, len);
	m->len += tot;
	return nla;
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_u64(struct msg *m, uint16_t type, uint64_t v)
{
	put_attr(m, type, &v, sizeof(v));
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put_attr(m, type, s, strlen(s) + 1);
}

/* nests are referred to by offset: put_attr may not move, but be plain */
static size_t nest_start(struct msg *m, uint16_t type)
{
	size_t off = m->len;

	if (!put_attr(m, type | NLA_F_NESTED, "", 0))
		return 0;
	return off;
}

static void nest_end(struct msg *m, size_t off)
{
	struct nlattr *nla = (struct nlattr *)(m->buf + off);

	if (off)
		nla->nla_len = (uint16_t)(m->len - off);
}

static void msg_finish(struct msg *m)
{
	msg_hdr(m)->nlmsg_len = (uint32_t)m->len;
}

/* --- value generators ----------------------------------------------------- */

static uint32_t pick_u32(const uint32_t *vals, size_t n)
{
	unsigned int r = rnd(100);

	if (r < 70)
		return vals[rnd((uint32_t)n)];
	if (r < 85)
		return rnd(64);
	return (uint32_t)rnd64();
}

static uint64_t pick_u64(const uint64_t *vals, size_t n)
{
	unsigned int r = rnd(100);

	if (r < 70)
		return vals[rnd((uint32_t)n)];
	if (r < 85)
		return rnd(100000);
	return rnd64();
}

/*
 * A u32 or u64 attribute, usually right, sometimes with a wrong length
 * (short, long, empty) or carrying the other width.
 */
static void put_fuzz_int(struct msg *m, uint16_t type, uint64_t v, size_t width)
{
	static const size_t bad_len[] = { 0, 1, 2, 3, 5, 7, 9, 12, 16 };
	unsigned char b[16] = { 0 };
	size_t len = width;

	if (chance(8)) {
		len = PICK(bad_len);
		rnd_bytes(b, sizeof(b));
	} else if (chance(5)) {
		len = width == 4 ? 8 : 4;
	}
	memcpy(b, &v, len < sizeof(v) ? len : sizeof(v));
	put_attr(m, type, b, len);
}

/* a string attribute: good, empty, overlong, unterminated or binary */
static void put_fuzz_str(struct msg *m, uint16_t type, const char *good)
{
	char s[64];
	unsigned int r = rnd(100);

	if (r < 75) {
		put_str(m, type, good);
	} else if (r < 80) {
		put_attr(m, type, "", 0);
	} else if (r < 85) {
		put_str(m, type, "");
	} else if (r < 90) {
		memset(s, 'x', sizeof(s));
		s[IFNAMSIZ + rnd(8)] = 0;
		put_str(m, type, s);
	} else if (r < 95) {
		/* not NUL terminated */
		put_attr(m, type, good, strlen(good));
	} else {
		put_attr(m, type, NULL, rnd(24));
	}
}

/* 0..n attributes of random types and payloads, skipping @deny(type) */
static void put_random_attrs(struct msg *m, unsigned int maxtype,
			     bool (*deny)(unsigned int type))
{
	unsigned int n = rnd(4), type;

	while (n--) {
		type = rnd(maxtype + 4);
		if (deny && deny(type))
			continue;
		if (chance(10))
			type |= NLA_F_NESTED;
		if (chance(3))
			type |= NLA_F_NET_BYTEORDER;
		put_attr(m, (uint16_t)type, NULL, PICK(((const size_t[]){ 0, 1, 2, 4, 4, 8, 8, 16, 33 })));
	}
}

/* --- devices of our namespace --------------------------------------------- */

struct dev {
	int ifindex;
	char name[IFNAMSIZ];
	bool ours;	/* a napi_macvlan: the fuzzer may change or delete it */
};

static struct dev devs[MAX_DEVS];
static unsigned int ndevs, nours;
static bool devs_dirty = true;
static int lower_ifindex;
static char lower_name[IFNAMSIZ];

static const struct dev *find_dev(int ifindex)
{
	unsigned int i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].ifindex == ifindex)
			return &devs[i];
	return NULL;
}

static const struct dev *random_our_dev(void)
{
	unsigned int i, k;

	if (!nours)
		return NULL;
	k = rnd(nours);
	for (i = 0; i < ndevs; i++)
		if (devs[i].ours && !k--)
			return &devs[i];
	return NULL;
}

static int our_ifindex_or_bogus(void)
{
	static const int bogus[] = { 0, 0x7fffffff, -1, 4242, 65535 };
	const struct dev *d = random_our_dev();

	if (d && chance(85))
		return d->ifindex;
	return PICK(bogus);
}

/* any device (for read-only uses and IFLA_LINK) or a bogus index */
static int any_ifindex(void)
{
	static const int bogus[] = { 0, 1, 0x7fffffff, -1, 4242 };

	if (chance(40))
		return lower_ifindex;
	if (ndevs && chance(70))
		return devs[rnd(ndevs)].ifindex;
	return PICK(bogus);
}

/* igtb targets: mostly our devices (so SET/GET/DEL can succeed) */
static int any_ifindex_for_igtb(void)
{
	const struct dev *d = random_our_dev();

	if (d && chance(70))
		return d->ifindex;
	return any_ifindex();
}

/* --- sockets and replies -------------------------------------------------- */

struct reply {
	bool done;
	int error;		/* 0 or negative errno */
	bool has_extack;
	char extack[128];
	unsigned int data_msgs;
};

static int sock_open(int proto, bool strict)
{
	int one = 1, bufsz = 1 << 20, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		close(fd);
		return -1;
	}
	if (strict &&
	    setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* extack TLVs after an error or done message's fixed part */
static void parse_extack(const unsigned char *p, size_t len, struct reply *r)
{
	const struct nlattr *nla;

	while (len >= NLA_HDRLEN) {
		nla = (const struct nlattr *)p;
		if (nla->nla_len < NLA_HDRLEN || nla->nla_len > len)
			return;
		if ((nla->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    nla->nla_len > NLA_HDRLEN) {
			r->has_extack = true;
			snprintf(r->extack, sizeof(r->extack), "%.*s",
				 (int)(nla->nla_len - NLA_HDRLEN),
				 (const char *)p + NLA_HDRLEN);
		}
		if ((size_t)NLA_ALIGN(nla->nla_len) >= len)
			return;
		len -= NLA_ALIGN(nla->nla_len);
		p += NLA_ALIGN(nla->nla_len);
	}
}

static void handle_nlmsg(const struct nlmsghdr *nlh, struct reply *r)
{
	const unsigned char *p = NLMSG_DATA(nlh);
	size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN, off;
	const struct nlmsgerr *e;
	int err;

	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
		r->done = true;
		if (plen < sizeof(*e)) {
			r->error = -EBADMSG;	/* malformed: reported */
			return;
		}
		e = (const struct nlmsgerr *)p;
		r->error = e->error;
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
		if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < plen)
			parse_extack(p + off, plen - off, r);
		return;
	case NLMSG_DONE:
		r->done = true;
		if (plen >= sizeof(int)) {
			memcpy(&err, p, sizeof(err));
			r->error = err;
			if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && plen > sizeof(int))
				parse_extack(p + sizeof(int), plen - sizeof(int), r);
		}
		return;
	default:
		r->data_msgs++;
		return;
	}
}

static unsigned long stale_replies;

/*
 * Read until the final message for @seq: NLMSG_ERROR (error or ACK) or,
 * for a dump, NLMSG_DONE.  Returns -1 on timeout or socket error.
 */
static int read_reply(int fd, uint32_t seq, struct reply *r,
		      void (*cb)(const struct nlmsghdr *))
{
	static unsigned char buf[RX_BUF];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	const struct nlmsghdr *nlh;
	ssize_t n;
	size_t len;

	memset(r, 0, sizeof(*r));
	while (!r->done) {
		if (poll(&pfd, 1, REPLY_TIMEOUT_MS) <= 0)
			return -1;
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* our receive queue overflowed: reported */
				r->done = true;
				r->error = -ENOBUFS;
				return 0;
			}
			return -1;
		}
		if ((size_t)n > sizeof(buf)) {
			fprintf(stderr, "nlfuzz: reply truncated (%zd bytes)\n", n);
			return -1;
		}
		len = (size_t)n;
		for (nlh = (const struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq) {
				stale_replies++;
				continue;
			}
			if (cb && nlh->nlmsg_type >= NLMSG_MIN_TYPE)
				cb(nlh);
			handle_nlmsg(nlh, r);
		}
	}
	return 0;
}

static uint32_t next_seq = 1;

static int nl_send(int fd, struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	msg_hdr(m)->nlmsg_seq = next_seq++;
	do {
		n = sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa,
			   sizeof(sa));
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

/* send a well-formed housekeeping request and wait for its result */
static int nl_request(int fd, struct msg *m, void (*cb)(const struct nlmsghdr *),
		      struct reply *r)
{
	int err;

	msg_finish(m);
	err = nl_send(fd, m);
	if (err)
		return err;
	if (read_reply(fd, msg_hdr(m)->nlmsg_seq, r, cb))
		return -ETIMEDOUT;
	return r->error;
}

static int rtnl_fd, rtnl_strict_fd, genl_fd;
static uint16_t igtb_family;

/* --- device table refresh and cleanup ------------------------------------- */

static void dev_cb(const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nlh);
	const struct nlattr *nla, *inner;
	struct dev *d;
	int rem, irem;

	if (nlh->nlmsg_type != RTM_NEWLINK || ndevs >= MAX_DEVS ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return;
	d = &devs[ndevs++];
	memset(d, 0, sizeof(*d));
	d->ifindex = ifi->ifi_index;
	rem = (int)nlh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));
	for (nla = (const struct nlattr *)((const char *)ifi + NLMSG_ALIGN(sizeof(*ifi)));
	     NLA_OK(nla, rem); nla = NLA_NEXT(nla, rem)) {
		if (nla->nla_type == IFLA_IFNAME)
			snprintf(d->name, sizeof(d->name), "%s",
				 (const char *)NLA_DATA(nla));
		if ((nla->nla_type & NLA_TYPE_MASK) != IFLA_LINKINFO)
			continue;
		irem = (int)NLA_PAYLOAD(nla);
		for (inner = NLA_DATA(nla); NLA_OK(inner, irem);
		     inner = NLA_NEXT(inner, irem))
			if (inner->nla_type == IFLA_INFO_KIND &&
			    !strcmp(NLA_DATA(inner), NAPI_MACVLAN_KIND))
				d->ours = true;
	}
	if (d->ours)
		nours++;
}

static int refresh_devs(void)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct reply r;
	struct msg m;
	int err;

	ndevs = nours = 0;
	msg_init(&m, FAM_RTNL, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP,
		 &ifi, sizeof(ifi));
	err = nl_request(rtnl_fd, &m, dev_cb, &r);
	devs_dirty = false;
	return err;
}

static int del_link(int ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct reply r;
	struct msg m;

	msg_init(&m, FAM_RTNL, RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK,
		 &ifi, sizeof(ifi));
	return nl_request(rtnl_fd, &m, NULL, &r);
}

/* delete our devices beyond @keep; returns how many remain, -1 on error */
static int trim_devs(unsigned int keep)
{
	unsigned int i;
	int err;

	if (refresh_devs())
		return -1;
	for (i = 0; i < ndevs && nours > keep; i++) {
		if (!devs[i].ours)
			continue;
		err = del_link(devs[i].ifindex);
		/* a stacked device may already be gone with its lower */
		if (err && err != -ENODEV) {
			fprintf(stderr, "nlfuzz: cannot delete %s: %s\n",
				devs[i].name, strerror(-err));
			return -1;
		}
		nours--;
	}
	if (refresh_devs())
		return -1;
	return (int)nours;
}

/* --- generic netlink: resolve the igtb family ------------------------------ */

static void family_cb(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlattr *nla;
	int rem = (int)nlh->nlmsg_len - (int)NLMSG_LENGTH(GENL_HDRLEN);

	for (nla = (const struct nlattr *)((const char *)g + GENL_HDRLEN);
	     NLA_OK(nla, rem); nla = NLA_NEXT(nla, rem))
		if (nla->nla_type == CTRL_ATTR_FAMILY_ID)
			memcpy(&igtb_family, NLA_DATA(nla), sizeof(igtb_family));
}

static int resolve_igtb(void)
{
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 };
	struct reply r;
	struct msg m;

	msg_init(&m, FAM_IGTB, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		 &g, sizeof(g));
	put_str(&m, CTRL_ATTR_FAMILY_NAME, IGTB_GENL_NAME);
	return nl_request(genl_fd, &m, family_cb, &r);
}

/* --- igtb message generator ----------------------------------------------- */

static int netns_self_fd = -1, netns_init_fd = -1;

static void igtb_put_dev(struct msg *m)
{
	const struct dev *d = random_our_dev();
	unsigned int r = rnd(100);

	if (r < 55) {
		put_fuzz_int(m, IGTB_A_IFINDEX, (uint32_t)any_ifindex_for_igtb(), 4);
	} else if (r < 80) {
		put_fuzz_str(m, IGTB_A_IFNAME, d && chance(80) ? d->name :
			     chance(50) ? lower_name : "nosuchdev");
	} else if (r < 90) {
		put_u32(m, IGTB_A_IFINDEX, d ? (uint32_t)d->ifindex : 1);
		put_str(m, IGTB_A_IFNAME, d ? d->name : "lo");
	}
	/* else: no device at all */
}

static void igtb_put_netns(struct msg *m)
{
	static const uint32_t bad_fds[] = { 0, 1, 2, 9999, 0xffffffff };
	static const uint32_t pids[] = { 1, 0, 0x7fffffff, 0xffffffff, 99999 };
	static const uint32_t nsids[] = { 0, 1, 2, 0x7fffffff, 0xffffffff };
	unsigned int n = chance(80) ? 1 : 2 + rnd(2);

	while (n--) {
		switch (rnd(3)) {
		case 0:
			put_fuzz_int(m, IGTB_A_NETNS_FD, chance(60) ?
				     (uint32_t)(chance(70) ? netns_self_fd : netns_init_fd) :
				     PICK(bad_fds), 4);
			break;
		case 1:
			put_fuzz_int(m, IGTB_A_NETNS_PID, chance(50) ?
				     (uint32_t)getpid() : PICK(pids), 4);
			break;
		default:
			put_fuzz_int(m, IGTB_A_NETNS_ID, PICK(nsids), 4);
			break;
		}
	}
}

/* boundaries of the documented ranges (igtb_core.h, igtb.h) */
static const uint64_t igtb_rates[] = {
	0, 1, 7999, 8000, 8001, 1000000, 1000000000ULL,
	399999999999ULL, 400000000000ULL, 400000000001ULL,
	0xffffffffULL, 0x100000000ULL, 1ULL << 63, ~0ULL,
};
static const uint64_t igtb_pkt_rates[] = {
	0, 1, 2, 1000, 999999999, 1000000000, 1000000001, ~0ULL,
};
static const uint32_t igtb_bursts[] = {
	0, 1, 2, 1513, 1514, 1515, 65535, 65536, 999999999, 1000000000,
	1000000001, 0x7fffffff, 0x80000000, 0xffffffff,
};
static const uint32_t igtb_overheads[] = {
	0, 1, 24, 1023, 1024, 1025, 0xffffffff,
};
static const uint32_t igtb_actions[] = {
	IGTB_ACTION_DROP, IGTB_ACTION_MARK, IGTB_ACTION_SHAPE, 3, 0xffffffff,
};
static const uint32_t igtb_dirs[] = {
	IGTB_DIR_INGRESS, IGTB_DIR_EGRESS, 2, 0xffffffff,
};
static const uint32_t igtb_latencies[] = {
	0, 1, 50000, 9999999, 10000000, 10000001, 0xffffffff,
};

static void igtb_put_config(struct msg *m, bool valid)
{
	if (valid) {
		/* in range and consistent: this is what the corpus starts from */
		bool byte = chance(70);

		if (byte) {
			put_u64(m, IGTB_A_RATE, 8000 + rnd64() % 1000000000ULL);
			if (chance(50))
				put_u32(m, IGTB_A_BURST, 15000 + rnd(1000000));
		}
		if (chance(50) || !byte) {
			put_u64(m, IGTB_A_PKT_RATE, 1 + rnd(1000000));
			if (chance(50))
				put_u32(m, IGTB_A_PKT_BURST, 1 + rnd(1000));
		}
		if (chance(30))
			put_u32(m, IGTB_A_OVERHEAD, rnd(1025));
		if (chance(30)) {
			put_u32(m, IGTB_A_ACTION, IGTB_ACTION_MARK);
			put_u32(m, IGTB_A_MARK, (uint32_t)rnd64());
		}
		return;
	}
	if (chance(30))
		put_fuzz_int(m, IGTB_A_DIR, pick_u32(igtb_dirs, ARRAY_SIZE(igtb_dirs)), 4);
	if (chance(20))
		put_fuzz_int(m, IGTB_A_LATENCY, pick_u32(igtb_latencies, ARRAY_SIZE(igtb_latencies)), 4);
	if (chance(60))
		put_fuzz_int(m, IGTB_A_RATE, pick_u64(igtb_rates, ARRAY_SIZE(igtb_rates)), 8);
	if (chance(40))
		put_fuzz_int(m, IGTB_A_BURST, pick_u32(igtb_bursts, ARRAY_SIZE(igtb_bursts)), 4);
	if (chance(40))
		put_fuzz_int(m, IGTB_A_PKT_RATE, pick_u64(igtb_pkt_rates, ARRAY_SIZE(igtb_pkt_rates)), 8);
	if (chance(30))
		put_fuzz_int(m, IGTB_A_PKT_BURST, pick_u32(igtb_bursts, ARRAY_SIZE(igtb_bursts)), 4);
	if (chance(25))
		put_fuzz_int(m, IGTB_A_OVERHEAD, pick_u32(igtb_overheads, ARRAY_SIZE(igtb_overheads)), 4);
	if (chance(25))
		put_fuzz_int(m, IGTB_A_ACTION, pick_u32(igtb_actions, ARRAY_SIZE(igtb_actions)), 4);
	if (chance(20))
		put_fuzz_int(m, IGTB_A_MARK, (uint32_t)rnd64(), 4);
	if (chance(5))
		put_attr(m, IGTB_A_PAD, NULL, rnd(9));
	if (chance(5))
		put_attr(m, IGTB_A_STATS | (chance(50) ? NLA_F_NESTED : 0), NULL, rnd(20));
}

static void gen_igtb(struct msg *m, bool valid)
{
	static const uint8_t cmds[] = {
		IGTB_CMD_SET, IGTB_CMD_SET, IGTB_CMD_SET, IGTB_CMD_GET,
		IGTB_CMD_GET, IGTB_CMD_DEL, IGTB_CMD_DEL,
	};
	struct genlmsghdr g = { .version = IGTB_GENL_VERSION };
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	const struct dev *d;
	bool egress;
	unsigned int r;

	g.cmd = valid || chance(90) ? PICK(cmds) :
		(uint8_t)PICK(((const unsigned int[]){ 0, 4, 5, 255, rnd(256) }));
	if (!valid && chance(5))
		g.version = (uint8_t)rnd64();
	if (!valid && chance(3))
		g.reserved = (uint16_t)rnd64();
	if (g.cmd == IGTB_CMD_GET && chance(valid ? 30 : 40))
		flags |= NLM_F_DUMP;
	else if (!valid && chance(4))
		flags |= NLM_F_DUMP;
	msg_init(m, FAM_IGTB, igtb_family, flags, &g, sizeof(g));
	m->cmd = g.cmd;

	if (valid) {
		d = random_our_dev();
		if (!(flags & NLM_F_DUMP)) {
			if (d && chance(50))
				put_u32(m, IGTB_A_IFINDEX, (uint32_t)d->ifindex);
			else
				put_str(m, IGTB_A_IFNAME, d ? d->name : lower_name);
		}
		if (chance(10))
			put_u32(m, IGTB_A_NETNS_PID, (uint32_t)getpid());
		/* the egress profile: shape (its default, with or without a
		 * latency) or police */
		egress = chance(40);
		if (egress)
			put_u32(m, IGTB_A_DIR, IGTB_DIR_EGRESS);
		if (g.cmd != IGTB_CMD_SET)
			return;
		if (!egress) {
			igtb_put_config(m, true);
			return;
		}
		put_u64(m, IGTB_A_RATE, 8000 + rnd64() % 1000000000ULL);
		if (chance(50))
			put_u32(m, IGTB_A_BURST, 15000 + rnd(1000000));
		if (chance(30))
			put_u64(m, IGTB_A_PKT_RATE, 1 + rnd(1000000));
		if (chance(40))
			put_u32(m, IGTB_A_LATENCY, 1 + rnd(10000000));
		else if (chance(30))
			put_u32(m, IGTB_A_ACTION, IGTB_ACTION_DROP);
		return;
	}

	r = rnd(100);
	if (!(flags & NLM_F_DUMP) || chance(10))
		igtb_put_dev(m);
	if (r < 20)
		igtb_put_netns(m);
	if (g.cmd == IGTB_CMD_SET || chance(15))
		igtb_put_config(m, false);
	if (chance(15))
		put_random_attrs(m, IGTB_A_MAX, NULL);
	if (chance(5))	/* a duplicate of the device */
		igtb_put_dev(m);
}

/* --- rtnetlink message generator ------------------------------------------- */

/*
 * Attributes that would act outside our namespace or on devices that are
 * not ours; the sanitizer turns them into an unknown type.
 */
static bool rtnl_denied(unsigned int type)
{
	switch (type & NLA_TYPE_MASK) {
	case IFLA_NET_NS_PID:
	case IFLA_NET_NS_FD:
	case IFLA_TARGET_NETNSID:
	case IFLA_GROUP:	/* group changelink/dellink hit every device */
		return true;
	}
	return false;
}

static const uint32_t nmv_modes[] = {
	0, NAPI_MACVLAN_MODE_PRIVATE, NAPI_MACVLAN_MODE_VEPA, 3,
	NAPI_MACVLAN_MODE_BRIDGE, 5, 6, 7, NAPI_MACVLAN_MODE_PASSTHRU, 9,
	16, 0x80000000, 0xffffffff,
};
static const uint32_t nmv_rings[] = {
	0, 1, 15, 16, 17, 255, 256, 1024, 16383, 16384, 16385, 65536,
	0x7fffffff, 0xffffffff,
};
static const uint32_t nmv_flags[] = {
	0, NAPI_MACVLAN_F_SPOOFCHK, NAPI_MACVLAN_F_MACLOCK, NAPI_MACVLAN_F_ALL,
	4, 8, 0x80000000, 0xffffffff,
};
static const uint32_t mtus[] = {
	0, 1, 67, 68, 576, 1280, 1499, 1500, 1501, 9000, 65535, 65536,
	0xffffffff,
};

static unsigned int name_counter;

static void rtnl_put_info_data(struct msg *m, bool valid)
{
	size_t nest;

	if (!valid && chance(5)) {	/* not a nest at all */
		put_attr(m, IFLA_INFO_DATA, NULL, rnd(12));
		return;
	}
	nest = nest_start(m, IFLA_INFO_DATA);
	if (valid) {
		if (chance(50))
			put_u32(m, IFLA_NAPI_MACVLAN_MODE,
				PICK(((const uint32_t[]){ 1, 2, 4, 4, 4 })));
		if (chance(30))
			put_u32(m, IFLA_NAPI_MACVLAN_RING_SIZE, 16 + rnd(16384 - 15));
		if (chance(30))
			put_u32(m, IFLA_NAPI_MACVLAN_FLAGS, rnd(4));
	} else {
		if (chance(50))
			put_fuzz_int(m, IFLA_NAPI_MACVLAN_MODE,
				     pick_u32(nmv_modes, ARRAY_SIZE(nmv_modes)), 4);
		if (chance(40))
			put_fuzz_int(m, IFLA_NAPI_MACVLAN_RING_SIZE,
				     pick_u32(nmv_rings, ARRAY_SIZE(nmv_rings)), 4);
		if (chance(40))
			put_fuzz_int(m, IFLA_NAPI_MACVLAN_FLAGS,
				     pick_u32(nmv_flags, ARRAY_SIZE(nmv_flags)), 4);
		if (chance(10))	/* duplicates: the last one wins */
			put_fuzz_int(m, IFLA_NAPI_MACVLAN_MODE,
				     pick_u32(nmv_modes, ARRAY_SIZE(nmv_modes)), 4);
		if (chance(10))
			put_random_attrs(m, IFLA_NAPI_MACVLAN_MAX, NULL);
	}
	nest_end(m, nest);
}

static void rtnl_put_linkinfo(struct msg *m, bool valid)
{
	size_t nest = nest_start(m, IFLA_LINKINFO);

	if (valid || chance(92))
		put_str(m, IFLA_INFO_KIND, NAPI_MACVLAN_KIND);
	else if (chance(50))
		put_fuzz_str(m, IFLA_INFO_KIND, NAPI_MACVLAN_KIND);
	if (valid ? chance(80) : chance(70))
		rtnl_put_info_data(m, valid);
	if (!valid && chance(5))
		put_attr(m, IFLA_INFO_XSTATS, NULL, rnd(16));
	if (!valid && chance(5))
		put_attr(m, IFLA_INFO_SLAVE_DATA | NLA_F_NESTED, NULL, rnd(16));
	if (!valid && chance(8))
		put_random_attrs(m, IFLA_INFO_MAX, NULL);
	nest_end(m, nest);
}

static void rtnl_put_addr(struct msg *m, bool valid)
{
	unsigned char a[8];

	rnd_bytes(a, sizeof(a));
	a[0] = (unsigned char)((a[0] & 0xfc) | 0x02);	/* unicast, local */
	if (!valid) {
		switch (rnd(6)) {
		case 0:
			a[0] |= 1;	/* multicast */
			break;
		case 1:
			memset(a, 0, sizeof(a));
			break;
		case 2:
			memset(a, 0xff, sizeof(a));
			break;
		case 3:
			put_attr(m, IFLA_ADDRESS, a, PICK(((const size_t[]){ 0, 1, 5, 7, 8 })));
			return;
		}
	}
	put_attr(m, IFLA_ADDRESS, a, 6);
}

static void rtnl_put_name(struct msg *m, uint16_t type, bool valid)
{
	char name[IFNAMSIZ];
	const struct dev *d;

	if (!valid && chance(20) && (d = random_our_dev())) {
		put_str(m, type, d->name);	/* exists already */
		return;
	}
	snprintf(name, sizeof(name), "%s%u",
		 valid || chance(90) ? "nfz" : PICK(((const char *const[]){ "a/b", "a:", "%d", "." })),
		 name_counter++ % 1000);
	if (valid)
		put_str(m, type, name);
	else
		put_fuzz_str(m, type, name);
}

static void gen_rtnl(struct msg *m, bool valid)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK, type;
	unsigned int r = rnd(100);
	const struct dev *d;

	/*
	 * The mix is tuned for a slow (TCG) VM: deleting a device waits for
	 * RCU grace periods (~20 ms there), so device churn is kept low by
	 * creating only while we have few devices; a create that would
	 * exceed that changes one of ours instead.
	 */
	if (r < 40)
		type = RTM_NEWLINK;
	else if (r < 45)
		type = RTM_DELLINK;
	else if (r < 75)
		type = RTM_SETLINK;
	else
		type = RTM_GETLINK;

	if (type == RTM_NEWLINK) {
		if (nours < MAX_OURS && chance(70)) {
			flags |= NLM_F_CREATE | NLM_F_EXCL;
		} else {
			ifi.ifi_index = our_ifindex_or_bogus();
			if (chance(20))
				flags |= NLM_F_CREATE;
		}
		if (!valid && chance(5))
			flags |= NLM_F_REPLACE;
	} else if (type == RTM_GETLINK) {
		if (chance(30))
			flags |= NLM_F_DUMP;
		else
			ifi.ifi_index = chance(20) ? any_ifindex() : our_ifindex_or_bogus();
	} else {
		ifi.ifi_index = our_ifindex_or_bogus();
	}
	/* up/down waits for RCU too (the device leaves the MAC hash) */
	if (chance(valid ? 8 : 12)) {
		ifi.ifi_change = IFF_UP;
		ifi.ifi_flags = chance(70) ? IFF_UP : 0;
	}
	if (!valid) {
		if (chance(5))
			ifi.ifi_family = (unsigned char)PICK(((const int[]){ AF_INET, AF_INET6, AF_BRIDGE, 255 }));
		if (chance(5))
			ifi.ifi_type = (unsigned short)rnd64();
		if (chance(5))
			ifi.ifi_change = (unsigned int)rnd64() & ~0u;
		if (chance(3))
			ifi.__ifi_pad = (unsigned char)rnd64();
	}
	msg_init(m, FAM_RTNL, type, flags, &ifi, sizeof(ifi));

	if (type == RTM_NEWLINK && (flags & NLM_F_CREATE) && !ifi.ifi_index) {
		/* creation: the lower */
		if (valid || chance(85)) {
			d = random_our_dev();
			put_fuzz_int(m, IFLA_LINK, (uint32_t)(chance(75) || !d ?
				     lower_ifindex : d->ifindex), 4);
		} else if (chance(50)) {
			put_fuzz_int(m, IFLA_LINK, (uint32_t)any_ifindex(), 4);
		}
		if (!valid && chance(5))
			put_fuzz_int(m, IFLA_LINK_NETNSID, PICK(((const uint32_t[]){ 0, 1, 0xffffffff })), 4);
	}
	if (type != RTM_GETLINK && chance(valid ? 60 : 50))
		rtnl_put_name(m, IFLA_IFNAME, valid);
	if (type == RTM_GETLINK || type == RTM_DELLINK) {
		if (!ifi.ifi_index && chance(30) && (d = random_our_dev()))
			put_str(m, IFLA_IFNAME, d->name);
		if (chance(20))
			put_fuzz_int(m, IFLA_EXT_MASK, (uint32_t)rnd64(), 4);
	}
	if (!valid && chance(5))
		rtnl_put_name(m, IFLA_ALT_IFNAME, valid);
	if (type != RTM_GETLINK && type != RTM_DELLINK) {
		if (chance(25))
			rtnl_put_addr(m, valid);
		if (chance(15))
			put_fuzz_int(m, IFLA_MTU, valid ? 1280 + rnd(221) :
				     pick_u32(mtus, ARRAY_SIZE(mtus)), 4);
		if (!valid && chance(8))
			put_fuzz_int(m, IFLA_TXQLEN, (uint32_t)rnd64(), 4);
		if (!valid && chance(5))
			put_fuzz_int(m, IFLA_NUM_TX_QUEUES,
				     PICK(((const uint32_t[]){ 0, 1, 4096, 4097, 0xffffffff })), 4);
		if (!valid && chance(5))
			put_fuzz_int(m, IFLA_NUM_RX_QUEUES,
				     PICK(((const uint32_t[]){ 0, 1, 4096, 4097, 0xffffffff })), 4);
	}
	if (type == RTM_NEWLINK || type == RTM_SETLINK ||
	    (type == RTM_GETLINK && chance(10)) || (!valid && chance(10)))
		if (valid || chance(90))
			rtnl_put_linkinfo(m, valid);
	if (!valid && chance(15))
		put_random_attrs(m, IFLA_MAX, rtnl_denied);
	if (!valid && chance(4))	/* a second, different link info */
		rtnl_put_linkinfo(m, false);
}

/* --- mutation of corpus messages ------------------------------------------ */

struct attr_ref {
	size_t off;
	size_t parents[4];	/* enclosing attributes, outermost first */
	unsigned int depth;
};

static bool is_nest(const struct msg *m, unsigned int depth, unsigned int type)
{
	type &= NLA_TYPE_MASK;
	if (m->fam == FAM_RTNL)
		return (depth == 0 && type == IFLA_LINKINFO) ||
		       (depth == 1 && type == IFLA_INFO_DATA);
	return false;
}

/* every well-formed attribute, nested ones included, in message order */
static unsigned int collect_attrs(const struct msg *m, size_t start, size_t end,
				  const struct attr_ref *parent,
				  struct attr_ref *out, unsigned int n,
				  unsigned int max)
{
	const struct nlattr *nla;
	struct attr_ref *a;
	size_t off = start;

	while (off + NLA_HDRLEN <= end && n < max) {
		nla = (const struct nlattr *)(m->buf + off);
		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > end)
			break;
		a = &out[n++];
		memset(a, 0, sizeof(*a));
		a->off = off;
		if (parent) {
			memcpy(a->parents, parent->parents, sizeof(a->parents));
			a->depth = parent->depth + 1;
			a->parents[parent->depth] = parent->off;
		}
		if (a->depth < 3 && is_nest(m, a->depth, nla->nla_type))
			n = collect_attrs(m, off + NLA_HDRLEN, off + nla->nla_len,
					  a, out, n, max);
		off += NLA_ALIGN(nla->nla_len);
	}
	return n;
}

/* insert (n > 0) or remove (n < 0) bytes at @pos, fixing enclosing nests */
static bool splice_bytes(struct msg *m, const struct attr_ref *a, size_t pos,
			 const void *data, long n)
{
	struct nlattr *p;
	unsigned int i;

	if (n > 0 && m->len + (size_t)n > MSG_MAX)
		return false;
	if (n > 0) {
		memmove(m->buf + pos + n, m->buf + pos, m->len - pos);
		memcpy(m->buf + pos, data, (size_t)n);
	} else {
		memmove(m->buf + pos, m->buf + pos - n, m->len - pos + n);
	}
	m->len = (size_t)((long)m->len + n);
	for (i = 0; i < a->depth; i++) {
		p = (struct nlattr *)(m->buf + a->parents[i]);
		p->nla_len = (uint16_t)(p->nla_len + n);
	}
	return true;
}

static void mutate(struct msg *m)
{
	struct attr_ref attrs[64];
	unsigned int n, k, rounds = 1 + rnd(3);
	struct nlattr *nla, *next;
	unsigned char tmp[MSG_MAX];
	struct attr_ref *a;
	size_t len, len2;

	while (rounds--) {
		n = collect_attrs(m, m->hdrlen, m->len, NULL, attrs, 0,
				  ARRAY_SIZE(attrs));
		a = n ? &attrs[rnd(n)] : NULL;
		nla = a ? (struct nlattr *)(m->buf + a->off) : NULL;
		switch (rnd(10)) {
		case 0:	/* bit flips anywhere after the netlink header */
		case 1:
			for (k = 1 + rnd(3); k; k--)
				if (m->len > NLMSG_HDRLEN)
					m->buf[NLMSG_HDRLEN + rnd((uint32_t)(m->len - NLMSG_HDRLEN))] ^=
						(unsigned char)(1u << rnd(8));
			break;
		case 2:	/* an attribute's length */
			if (nla)
				nla->nla_len = (uint16_t)PICK(((const unsigned int[]){
					0, 1, 3, 4, 5, nla->nla_len - 1u, nla->nla_len + 1u,
					nla->nla_len + 4u, 0xffff, rnd(0x10000) }));
			break;
		case 3:	/* an attribute's type */
			if (nla)
				nla->nla_type = chance(50) ? (uint16_t)(nla->nla_type ^ NLA_F_NESTED) :
					(uint16_t)((nla->nla_type & ~NLA_TYPE_MASK) | rnd(64));
			break;
		case 4:	/* swap with the next sibling */
			if (!nla)
				break;
			len = NLA_ALIGN(nla->nla_len);
			next = (struct nlattr *)((char *)nla + len);
			if (a->off + len + NLA_HDRLEN > m->len ||
			    next->nla_len < NLA_HDRLEN ||
			    a->off + len + NLA_ALIGN(next->nla_len) > m->len)
				break;
			len2 = NLA_ALIGN(next->nla_len);
			memcpy(tmp, nla, len);
			memmove(nla, next, len2);
			memcpy((char *)nla + len2, tmp, len);
			break;
		case 5:	/* duplicate an attribute right after itself */
			if (nla) {
				len = NLA_ALIGN(nla->nla_len);
				if (a->off + len <= m->len) {
					memcpy(tmp, nla, len);
					splice_bytes(m, a, a->off + len, tmp, (long)len);
				}
			}
			break;
		case 6:	/* remove an attribute */
			if (nla && a->off + NLA_ALIGN(nla->nla_len) <= m->len)
				splice_bytes(m, a, a->off, NULL, -(long)NLA_ALIGN(nla->nla_len));
			break;
		case 7:	/* truncate the message */
			if (m->len > m->hdrlen)
				m->len = m->hdrlen + rnd((uint32_t)(m->len - m->hdrlen));
			break;
		case 8:	/* an extreme value in a 4 or 8 byte payload */
			if (nla && (nla->nla_len == 8 || nla->nla_len == 12) &&
			    a->off + nla->nla_len <= m->len) {
				uint64_t v = PICK(((const uint64_t[]){ 0, 1, ~0ULL, 0x7fffffff, 0x80000000, 1ULL << 63 }));

				memcpy((char *)nla + NLA_HDRLEN, &v, nla->nla_len - NLA_HDRLEN);
			}
			break;
		default: /* random garbage appended */
			if (msg_room(m, 32))
				put_attr(m, (uint16_t)rnd(0x10000), NULL, rnd(32));
			break;
		}
	}
}

/* --- sanitizer: keep the fuzzer inside its namespace ------------------------ */

static bool name_is_foreign(const struct nlattr *nla)
{
	char name[IFNAMSIZ];
	size_t len = nla->nla_len - NLA_HDRLEN;
	unsigned int i;

	if (len >= IFNAMSIZ)
		len = IFNAMSIZ - 1;
	memcpy(name, (const char *)nla + NLA_HDRLEN, len);
	name[len] = 0;
	for (i = 0; i < ndevs; i++)
		if (!devs[i].ours && !strcmp(devs[i].name, name))
			return true;
	return false;
}

/*
 * The kernel takes the kind with nla_strscpy(): up to the first NUL.  Only
 * "napi_macvlan" and "" are let through; anything else would make the
 * kernel run modprobe for "rtnl-link-<kind>" (slow, and not ours to test).
 */
static void fix_kind(struct nlattr *nla)
{
	size_t len = nla->nla_len - NLA_HDRLEN;
	char *p = (char *)nla + NLA_HDRLEN;
	size_t slen = strnlen(p, len);

	if (slen == 0 || (slen == strlen(NAPI_MACVLAN_KIND) &&
			  !memcmp(p, NAPI_MACVLAN_KIND, slen)))
		return;
	if (len > strlen(NAPI_MACVLAN_KIND)) {
		memcpy(p, NAPI_MACVLAN_KIND, strlen(NAPI_MACVLAN_KIND) + 1);
	} else {
		memset(p, 0, len);
	}
}

#define IFLA_DEFUSED	0x3fff	/* unknown to the kernel: ignored */

static void sanitize_rtnl(struct msg *m)
{
	struct ifinfomsg *ifi = (struct ifinfomsg *)(m->buf + NLMSG_HDRLEN);
	struct nlmsghdr *nlh = msg_hdr(m);
	struct nlattr *nla, *inner;
	const struct dev *d;
	int rem, irem;

	if (nlh->nlmsg_type != RTM_GETLINK && ifi->ifi_index) {
		d = find_dev(ifi->ifi_index);
		if (d && !d->ours)
			ifi->ifi_index = our_ifindex_or_bogus();
		d = find_dev(ifi->ifi_index);
		if (d && !d->ours)	/* the bogus index may exist too */
			ifi->ifi_index = 0x7fffffff;
	}
	rem = (int)m->len - (int)m->hdrlen;
	for (nla = (struct nlattr *)(m->buf + m->hdrlen); NLA_OK(nla, rem);
	     nla = NLA_NEXT(nla, rem)) {
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case IFLA_IFNAME:
		case IFLA_ALT_IFNAME:
			if (nlh->nlmsg_type != RTM_GETLINK && name_is_foreign(nla))
				nla->nla_type = IFLA_DEFUSED;
			break;
		case IFLA_LINKINFO:
			irem = (int)NLA_PAYLOAD(nla);
			for (inner = NLA_DATA(nla); NLA_OK(inner, irem);
			     inner = NLA_NEXT(inner, irem))
				if ((inner->nla_type & NLA_TYPE_MASK) == IFLA_INFO_KIND)
					fix_kind(inner);
			break;
		default:
			if (rtnl_denied(nla->nla_type))
				nla->nla_type = IFLA_DEFUSED;
			break;
		}
	}
}

/* --- statistics ----------------------------------------------------------- */

struct stats {
	unsigned long sent, accepted, rejected, extack, timeouts, unexpected;
	unsigned long by_errno[MAX_ERRNO], extack_by_errno[MAX_ERRNO];
};

static struct stats st[FAM_NUM];

/* time spent per kind of request: where a slow VM spends its budget */
enum op_kind { OP_IGTB, OP_NEWLINK, OP_DELLINK, OP_SETLINK, OP_GETLINK, OP_NUM };
static const char *const op_name[OP_NUM] = {
	"igtb", "newlink", "dellink", "setlink", "getlink",
};
static double op_secs[OP_NUM];
static unsigned long op_count[OP_NUM];

static enum op_kind op_of(const struct msg *m)
{
	if (m->fam == FAM_IGTB)
		return OP_IGTB;
	switch (m->type) {
	case RTM_NEWLINK:
		return OP_NEWLINK;
	case RTM_DELLINK:
		return OP_DELLINK;
	case RTM_SETLINK:
		return OP_SETLINK;
	}
	return OP_GETLINK;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* distinct rejections (family, errno, extack message), for the summary */
#define MAX_REASONS 96
struct reason {
	enum fam fam;
	int error;
	char extack[128];
	unsigned long count;
};
static struct reason reasons[MAX_REASONS];
static unsigned int nreasons;

static void count_reason(enum fam f, const struct reply *r)
{
	unsigned int i;

	for (i = 0; i < nreasons; i++)
		if (reasons[i].fam == f && reasons[i].error == r->error &&
		    !strcmp(reasons[i].extack, r->extack)) {
			reasons[i].count++;
			return;
		}
	if (nreasons == MAX_REASONS)
		return;
	reasons[nreasons].fam = f;
	reasons[nreasons].error = r->error;
	memcpy(reasons[nreasons].extack, r->extack, sizeof(r->extack));
	reasons[nreasons++].count = 1;
}
static unsigned long corpus_hits, housekeeping;
static bool verbose;

/*
 * Errors a netlink request with bad input may sanely get.  Beyond the
 * common ones: EBADF (IGTB_A_NETNS_FD / IFLA_XDP_FD not an open fd), ESRCH
 * (IGTB_A_NETNS_PID: no such process), EADDRINUSE (bringing up a device
 * whose MAC another device of the lower already has), ENFILE (a "%d" name
 * with no room left for the digits, from dev_alloc_name()).
 */
static bool errno_sane(int e)
{
	switch (e) {
	case EINVAL: case ERANGE: case ENOENT: case ENODEV: case EOPNOTSUPP:
	case EEXIST: case EBUSY: case EPERM: case EMSGSIZE: case ENOBUFS:
	case ENOMEM: case EAFNOSUPPORT: case ENETDOWN: case EADDRNOTAVAIL:
	case E2BIG:
	case EBADF: case ESRCH: case EADDRINUSE: case ENFILE:
		return true;
	}
	return false;
}

static const char *errname(int e)
{
	const char *s = e > 0 && e < MAX_ERRNO ? strerrorname_np(e) : NULL;

	return s ? s : "?";
}

static void hexdump(const struct msg *m)
{
	size_t i;

	for (i = 0; i < m->len; i++)
		fprintf(stderr, "%02x%s", m->buf[i], i % 32 == 31 ? "\n" : " ");
	fputc('\n', stderr);
}

/* --- corpus: accepted messages, mutated later ------------------------------ */

static struct msg corpus[FAM_NUM][CORPUS_SIZE];
static unsigned int corpus_n[FAM_NUM], corpus_next[FAM_NUM];

static void corpus_add(const struct msg *m)
{
	enum fam f = m->fam;

	corpus[f][corpus_next[f]] = *m;
	corpus_next[f] = (corpus_next[f] + 1) % CORPUS_SIZE;
	if (corpus_n[f] < CORPUS_SIZE)
		corpus_n[f]++;
}

/* a valid-looking message: from the corpus when there is one */
static void gen_base(struct msg *m, enum fam f)
{
	if (corpus_n[f] && chance(70)) {
		*m = corpus[f][rnd(corpus_n[f])];
		/* a replayed create counts against the device budget too */
		if (!(m->type == RTM_NEWLINK && nours >= MAX_OURS &&
		      (msg_hdr(m)->nlmsg_flags & NLM_F_CREATE))) {
			corpus_hits++;
			return;
		}
	}
	if (f == FAM_IGTB)
		gen_igtb(m, true);
	else
		gen_rtnl(m, true);
}

/* --- one fuzz iteration --------------------------------------------------- */

static int fuzz_one(unsigned long idx, enum fam f)
{
	struct stats *s = &st[f];
	bool valid_base = chance(50);
	struct reply r;
	struct msg m;
	int fd, err;
	double t0;

	if (f == FAM_RTNL && devs_dirty && refresh_devs()) {
		fprintf(stderr, "nlfuzz: cannot list devices\n");
		return -1;
	}
	if (valid_base) {
		gen_base(&m, f);
		mutate(&m);
	} else if (f == FAM_IGTB) {
		gen_igtb(&m, false);
	} else {
		gen_rtnl(&m, false);
	}
	if (f == FAM_RTNL)
		sanitize_rtnl(&m);
	msg_finish(&m);

	if (f == FAM_IGTB)
		fd = genl_fd;
	else
		fd = chance(30) ? rtnl_strict_fd : rtnl_fd;
	t0 = now();
	err = nl_send(fd, &m);
	s->sent++;
	if (err) {
		/* the message never reached a handler (e.g. EMSGSIZE) */
		if (!errno_sane(-err)) {
			s->unexpected++;
			fprintf(stderr, "nlfuzz: #%lu %s: send failed: %s\n",
				idx, fam_name[f], strerror(-err));
		}
		s->rejected++;
		if (-err < MAX_ERRNO)
			s->by_errno[-err]++;
		return 0;
	}
	err = read_reply(fd, msg_hdr(&m)->nlmsg_seq, &r, NULL);
	op_secs[op_of(&m)] += now() - t0;
	op_count[op_of(&m)]++;
	if (err) {
		s->timeouts++;
		fprintf(stderr, "nlfuzz: #%lu %s type %u: no reply\n", idx,
			fam_name[f], m.type);
		if (verbose)
			hexdump(&m);
		return 0;
	}
	if (r.error == 0) {
		s->accepted++;
		/* only these change which devices exist (SETLINK may rename
		 * one of ours, which only makes a name miss)
		 */
		if (m.type == RTM_DELLINK ||
		    (m.type == RTM_NEWLINK && (msg_hdr(&m)->nlmsg_flags & NLM_F_CREATE)))
			devs_dirty = true;
		corpus_add(&m);
		return 0;
	}
	s->rejected++;
	count_reason(f, &r);
	if (r.has_extack)
		s->extack++;
	if (r.error < 0 && -r.error < MAX_ERRNO) {
		s->by_errno[-r.error]++;
		if (r.has_extack)
			s->extack_by_errno[-r.error]++;
	}
	if (r.error > 0 || r.error <= -MAX_ERRNO || !errno_sane(-r.error)) {
		s->unexpected++;
		fprintf(stderr, "nlfuzz: #%lu %s type %u cmd %u: unexpected error %d (%s)%s%s\n",
			idx, fam_name[f], m.type, m.cmd, r.error,
			errname(-r.error), r.has_extack ? ": " : "", r.extack);
		if (verbose)
			hexdump(&m);
	} else if (verbose) {
		printf("#%lu %s type %u cmd %u: %s%s%s\n", idx, fam_name[f],
		       m.type, m.cmd, errname(-r.error),
		       r.has_extack ? ": " : "", r.extack);
	}
	return 0;
}

/* --- setup: a namespace of our own with a veth lower ----------------------- */

static int link_up(int ifindex)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC, .ifi_index = ifindex,
		.ifi_flags = IFF_UP, .ifi_change = IFF_UP,
	};
	struct reply r;
	struct msg m;

	msg_init(&m, FAM_RTNL, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK,
		 &ifi, sizeof(ifi));
	return nl_request(rtnl_fd, &m, NULL, &r);
}

static int make_veth(const char *name, const char *peer)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	size_t li, data, pe;
	struct reply r;
	struct msg m;

	msg_init(&m, FAM_RTNL, RTM_NEWLINK,
		 NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		 &ifi, sizeof(ifi));
	put_str(&m, IFLA_IFNAME, name);
	li = nest_start(&m, IFLA_LINKINFO);
	put_str(&m, IFLA_INFO_KIND, "veth");
	data = nest_start(&m, IFLA_INFO_DATA);
	pe = nest_start(&m, VETH_INFO_PEER);
	/* the peer's ifinfomsg, then its attributes */
	memset(m.buf + m.len, 0, NLMSG_ALIGN(sizeof(ifi)));
	m.len += NLMSG_ALIGN(sizeof(ifi));
	put_str(&m, IFLA_IFNAME, peer);
	nest_end(&m, pe);
	nest_end(&m, data);
	nest_end(&m, li);
	return nl_request(rtnl_fd, &m, NULL, &r);
}

/*
 * igtb alone has nothing to act on: a few napi_macvlan devices of our
 * own, deleted at exit (a concurrent rtnl fuzzer may delete them first).
 */
#define NFIXTURES 4
static int fixtures[NFIXTURES];

static int make_fixtures(void)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	char name[IFNAMSIZ];
	struct reply r;
	struct msg m;
	size_t li;
	int i, err;
	unsigned int k;

	for (i = 0; i < NFIXTURES; i++) {
		snprintf(name, sizeof(name), "fzfix%d", i);
		msg_init(&m, FAM_RTNL, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK |
			 NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
		put_str(&m, IFLA_IFNAME, name);
		put_u32(&m, IFLA_LINK, (uint32_t)lower_ifindex);
		li = nest_start(&m, IFLA_LINKINFO);
		put_str(&m, IFLA_INFO_KIND, NAPI_MACVLAN_KIND);
		nest_end(&m, li);
		err = nl_request(rtnl_fd, &m, NULL, &r);
		if (err)
			return err;
	}
	if (refresh_devs())
		return -1;
	for (i = 0; i < NFIXTURES; i++) {
		snprintf(name, sizeof(name), "fzfix%d", i);
		for (k = 0; k < ndevs; k++)
			if (!strcmp(devs[k].name, name))
				fixtures[i] = devs[k].ifindex;
	}
	return 0;
}

static int del_fixtures(void)
{
	int i, err;

	for (i = 0; i < NFIXTURES; i++) {
		if (!fixtures[i])
			continue;
		err = del_link(fixtures[i]);
		if (err && err != -ENODEV)
			return err;
	}
	return 0;
}

static int lookup_lower(const char *name)
{
	unsigned int i;

	if (refresh_devs())
		return -1;
	for (i = 0; i < ndevs; i++)
		if (!strcmp(devs[i].name, name)) {
			lower_ifindex = devs[i].ifindex;
			snprintf(lower_name, sizeof(lower_name), "%s", name);
			return 0;
		}
	return -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nlfuzz [--seed N] [--count N] [--family igtb|rtnl|all]\n"
		"              [--lower IFNAME | --new-netns] [--verbose]\n"
		"  --lower IFNAME  Ethernet device of this namespace to stack on\n"
		"  --new-netns     unshare a network namespace and make a veth lower\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ "family", required_argument, NULL, 'f' },
		{ "lower", required_argument, NULL, 'l' },
		{ "new-netns", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long count = 100000, i, unexpected = 0, timeouts = 0;
	bool do_igtb = true, do_rtnl = true, new_netns = false;
	const char *lower = NULL;
	struct timespec t0, t1;
	uint64_t seed;
	double secs;
	int opt, left, e;
	enum fam f;

	clock_gettime(CLOCK_REALTIME, &t0);
	seed = (uint64_t)t0.tv_sec ^ ((uint64_t)t0.tv_nsec << 20) ^ (uint64_t)getpid();
	while ((opt = getopt_long(argc, argv, "s:c:f:l:nv", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'c':
			count = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			do_igtb = !strcmp(optarg, "igtb") || !strcmp(optarg, "all");
			do_rtnl = !strcmp(optarg, "rtnl") || !strcmp(optarg, "all");
			if (!do_igtb && !do_rtnl)
				usage();
			break;
		case 'l':
			lower = optarg;
			break;
		case 'n':
			new_netns = true;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (!lower && !new_netns))
		usage();
	printf("nlfuzz: seed %llu count %lu family %s\n",
	       (unsigned long long)seed, count,
	       do_igtb && do_rtnl ? "all" : do_igtb ? "igtb" : "rtnl");
	fflush(stdout);
	rng = seed ? seed : 1;

	if (new_netns && unshare(CLONE_NEWNET)) {
		perror("nlfuzz: unshare(CLONE_NEWNET)");
		return 2;
	}
	rtnl_fd = sock_open(NETLINK_ROUTE, false);
	rtnl_strict_fd = sock_open(NETLINK_ROUTE, true);
	genl_fd = sock_open(NETLINK_GENERIC, false);
	if (rtnl_fd < 0 || rtnl_strict_fd < 0 || genl_fd < 0) {
		perror("nlfuzz: netlink socket");
		return 2;
	}
	if (new_netns) {
		lower = "fzlow0";
		if (link_up(1) || make_veth(lower, "fzpeer0") ||
		    lookup_lower("fzpeer0") || link_up(lower_ifindex)) {
			fprintf(stderr, "nlfuzz: cannot set up the veth lower\n");
			return 2;
		}
	}
	if (lookup_lower(lower) || link_up(lower_ifindex)) {
		fprintf(stderr, "nlfuzz: no usable lower device %s\n", lower);
		return 2;
	}
	if (do_igtb && resolve_igtb()) {
		fprintf(stderr, "nlfuzz: generic netlink family %s not found (igtb.ko loaded?)\n",
			IGTB_GENL_NAME);
		return 2;
	}
	if (do_igtb && !do_rtnl && make_fixtures()) {
		fprintf(stderr, "nlfuzz: cannot create napi_macvlan devices on %s (napi_macvlan.ko loaded?)\n",
			lower);
		return 2;
	}
	netns_self_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	netns_init_fd = open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		f = do_igtb && do_rtnl ? (chance(50) ? FAM_IGTB : FAM_RTNL) :
		    do_igtb ? FAM_IGTB : FAM_RTNL;
		/*
		 * igtb needs devices to act on: list them when they changed,
		 * and now and then when another process may change them
		 */
		if (f == FAM_IGTB && (devs_dirty || (!do_rtnl && i % 64 == 0)) &&
		    refresh_devs())
			return 2;
		if (fuzz_one(i, f))
			return 2;
		if (i && i % 25000 == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			printf("nlfuzz: %lu messages, %.0f/s\n", i,
			       i / ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9));
			fflush(stdout);
		}
		if (nours > 2 * MAX_OURS) {
			housekeeping++;
			if (trim_devs(MAX_OURS) < 0)
				return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	/* with rtnl, everything napi_macvlan here is ours to delete */
	left = do_rtnl ? trim_devs(0) : del_fixtures() ? -1 : 0;
	for (f = 0; f < FAM_NUM; f++) {
		struct stats *s = &st[f];

		if (!s->sent)
			continue;
		printf("nlfuzz: %s: sent %lu accepted %lu rejected %lu (with extack %lu) no-reply %lu unexpected %lu\n",
		       fam_name[f], s->sent, s->accepted, s->rejected,
		       s->extack, s->timeouts, s->unexpected);
		for (e = 1; e < MAX_ERRNO; e++)
			if (s->by_errno[e])
				printf("nlfuzz: %s:   %-14s %7lu (with extack %lu)\n",
				       fam_name[f], errname(e), s->by_errno[e],
				       s->extack_by_errno[e]);
		unexpected += s->unexpected;
		timeouts += s->timeouts;
	}
	for (e = 0; e < OP_NUM; e++)
		if (op_count[e])
			printf("nlfuzz: time %-8s %7lu requests %6.1f s (%.2f ms each)\n",
			       op_name[e], op_count[e], op_secs[e],
			       1000 * op_secs[e] / op_count[e]);
	for (i = 0; i < nreasons; i++)
		printf("nlfuzz: reason %s %s %lu: %s\n",
		       fam_name[reasons[i].fam], errname(-reasons[i].error),
		       reasons[i].count, reasons[i].extack[0] ?
		       reasons[i].extack : "(no extack)");
	printf("nlfuzz: total %lu messages in %.1f s (%.0f/s), corpus reuse %lu, trims %lu, stale replies %lu\n",
	       count, secs, secs > 0 ? count / secs : 0.0, corpus_hits,
	       housekeeping, stale_replies);
	if (do_rtnl)
		printf("nlfuzz: napi_macvlan devices left: %d\n", left);
	else if (left)
		printf("nlfuzz: cannot delete the igtb fixture devices\n");
	printf("nlfuzz: seed %llu: %s\n", (unsigned long long)seed,
	       unexpected || timeouts || left ? "FAIL" : "ok");
	return unexpected || timeouts || left ? 1 : 0;
}
