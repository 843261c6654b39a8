// SPDX-License-Identifier: GPL-2.0
/*
 * B10's in-VM helper (egress.sh compiles it in the guest, into /tmp).
 *
 *   egress_helper soak SECONDS [FILE...]
 *	Spin for SECONDS of guest time, counting loop iterations; print
 *	"elapsed_ns iterations" and, for each FILE (a counter such as
 *	/sys/class/net/DEV/statistics/tx_packets), its value at the start
 *	and at the end.  Run as SCHED_IDLE on the only CPU, it gets what
 *	everything else leaves: under icount a loop iteration is a fixed
 *	number of instructions, so the CPU time the rest used in the window
 *	is elapsed - iterations x (elapsed / iterations of an idle run).
 *   egress_helper hog ON_US PERIOD_US SECONDS
 *	Spin ON_US of every PERIOD_US (absolute periods) for SECONDS; run
 *	as SCHED_FIFO it takes the CPU from lower priorities in clusters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static unsigned long long read_counter(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (!f || fscanf(f, "%llu", &v) != 1) {
		fprintf(stderr, "egress_helper: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	return v;
}

static int soak(double secs, int nfiles, char **files)
{
	unsigned long long start, end, now, iters = 0;
	unsigned long long *v0 = calloc(nfiles + 1, sizeof(*v0));
	/* volatile: the loop must be there, a fixed instruction count */
	volatile unsigned int spin;
	int i;

	if (!v0)
		return 1;
	for (i = 0; i < nfiles; i++)
		v0[i] = read_counter(files[i]);
	start = now_ns();
	end = start + (unsigned long long)(secs * 1e9);
	do {
		/* 1000 fixed iterations between clock reads */
		for (spin = 0; spin < 1000; spin++)
			;
		iters++;
		now = now_ns();
	} while (now < end);
	printf("%llu %llu", now - start, iters);
	for (i = 0; i < nfiles; i++)
		printf(" %llu %llu", v0[i], read_counter(files[i]));
	printf("\n");
	free(v0);
	return 0;
}

static int hog(long on_us, long period_us, double secs)
{
	unsigned long long start = now_ns(), t = start, stop;
	struct timespec ts;

	stop = start + (unsigned long long)(secs * 1e9);
	while (t < stop) {
		while (now_ns() < t + on_us * 1000ULL)
			;
		t += period_us * 1000ULL;
		ts.tv_sec = t / 1000000000ULL;
		ts.tv_nsec = t % 1000000000ULL;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "soak"))
		return soak(atof(argv[2]), argc - 3, argv + 3);
	if (argc == 5 && !strcmp(argv[1], "hog"))
		return hog(atol(argv[2]), atol(argv[3]), atof(argv[4]));
	fprintf(stderr, "usage: egress_helper soak SECONDS [FILE...]\n"
		"       egress_helper hog ON_US PERIOD_US SECONDS\n");
	return 2;
}
