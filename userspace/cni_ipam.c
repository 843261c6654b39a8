// SPDX-License-Identifier: GPL-2.0
/*
 * napi-macvlan CNI plugin: delegation to an IPAM plugin, as the spec's
 * "delegated plugin" protocol and the reference macvlan plugin do it: the
 * binary named by ipam.type is looked up in CNI_PATH and run with our own
 * environment (CNI_COMMAND etc. unchanged) and the whole network
 * configuration on its stdin; its stdout is its result or its error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cni_conf.h"

#define CNI_OUT_MAX (1 << 20)

static int cni_find(const char *type, char *path, size_t len)
{
	const char *p = getenv("CNI_PATH"), *end;
	size_t n;

	if (!p || !*p)
		return -1;
	for (; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		n = end - p;
		if (!n)
			continue;
		if ((size_t)snprintf(path, len, "%.*s/%s", (int)n, p, type) >=
		    len)
			continue;
		if (!access(path, X_OK))
			return 0;
	}
	return -1;
}

int cni_ipam_exec(const char *type, const char *cmd, const char *conf,
		  size_t conflen, json_t **out, json_t **err, char *why,
		  size_t len)
{
	int in[2] = { -1, -1 }, outp[2] = { -1, -1 }, status, ret;
	char path[PATH_MAX], *buf = NULL;
	size_t got = 0, off = 0;
	json_error_t jerr;
	ssize_t n;
	pid_t pid;

	*out = NULL;
	*err = NULL;
	if (cni_find(type, path, sizeof(path))) {
		snprintf(why, len, "ipam: plugin \"%s\" not found in CNI_PATH %s",
			 type, getenv("CNI_PATH") ? getenv("CNI_PATH") : "(unset)");
		return CNI_ERR_IPAM;
	}
	if (pipe2(in, O_CLOEXEC) || pipe2(outp, O_CLOEXEC)) {
		snprintf(why, len, "ipam: pipe: %s", strerror(errno));
		ret = CNI_ERR_IO;
		goto out;
	}
	buf = malloc(CNI_OUT_MAX + 1);
	if (!buf) {
		snprintf(why, len, "out of memory");
		ret = CNI_ERR_IO;
		goto out;
	}
	/* A plugin that exits without reading must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "ipam: fork: %s", strerror(errno));
		ret = CNI_ERR_IO;
		goto out;
	}
	if (!pid) {
		if (dup2(in[0], 0) < 0 || dup2(outp[1], 1) < 0)
			_exit(127);
		setenv("CNI_COMMAND", cmd, 1);
		execl(path, type, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	in[0] = outp[1] = -1;
	while (off < conflen) {
		n = write(in[1], conf + off, conflen - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += n;
	}
	close(in[1]);
	in[1] = -1;
	while (got < CNI_OUT_MAX) {
		n = read(outp[0], buf + got, CNI_OUT_MAX - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		ret = 0;
		if (got && !(*out = json_loadb(buf, got, 0, &jerr))) {
			snprintf(why, len, "ipam %s: %s: bad result: %s", type,
				 cmd, jerr.text);
			ret = CNI_ERR_DECODE;
		}
		goto out;
	}
	*err = got ? json_loadb(buf, got, 0, &jerr) : NULL;
	if (*err && (!json_is_object(*err) ||
		     !json_is_integer(json_object_get(*err, "code")))) {
		json_decref(*err);
		*err = NULL;
	}
	if (*err)
		ret = json_integer_value(json_object_get(*err, "code"));
	else
		ret = CNI_ERR_IPAM;
	snprintf(why, len, "ipam %s: %s failed (%s %d)", type, cmd,
		 WIFEXITED(status) ? "exit status" : "signal",
		 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	if (!ret)
		ret = CNI_ERR_IPAM;
out:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	free(buf);
	return ret;
}
