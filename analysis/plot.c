// SPDX-License-Identifier: MIT
/* plot.c - drive gnuplot (see plot.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot.h"
#include "result.h"

static char *find_in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (strchr(prog, '/'))
		return access(prog, X_OK) ? NULL : xstrdup(prog);
	if (!path)
		path = "/usr/bin:/bin";
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *f = xasprintf("%s/%s", *dir ? dir : ".", prog);

		if (!access(f, X_OK))
			found = f;
		else
			free(f);
	}
	free(copy);
	return found;
}

static int is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static char *script_dir(void)
{
	const char *env = getenv("SCF_GNUPLOT_DIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash, *d;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			d = xasprintf("%s/../../analysis/gnuplot", exe);
			if (is_dir(d))
				return d;
			free(d);
		}
	}
	return xstrdup("analysis/gnuplot");
}

int plotter_open(struct plotter *p, const char *plots_dir, struct aerr *e)
{
	const char *gp = getenv("GNUPLOT");
	int err;

	memset(p, 0, sizeof(*p));
	p->plots_dir = xstrdup(plots_dir);
	p->gp_dir = script_dir();
	p->gnuplot = find_in_path(gp && *gp ? gp : "gnuplot");
	err = scf_mkdirs(plots_dir);
	if (err)
		return aerr_set(e, "%s: cannot create: %s", plots_dir,
				strerror(-err));
	p->tmp = xasprintf("%s/.tmp-XXXXXX", plots_dir);
	if (!mkdtemp(p->tmp)) {
		err = errno;
		free(p->tmp);
		p->tmp = NULL;
		return aerr_set(e, "%s: cannot create a scratch directory: %s",
				plots_dir, strerror(err));
	}
	return 0;
}

void plotter_close(struct plotter *p)
{
	DIR *d;
	struct dirent *de;

	if (p->tmp && (d = opendir(p->tmp))) {
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *f = xasprintf("%s/%s", p->tmp, de->d_name);

			unlink(f);
			free(f);
		}
		closedir(d);
		rmdir(p->tmp);
	}
	free(p->tmp);
	free(p->plots_dir);
	free(p->gp_dir);
	free(p->gnuplot);
	memset(p, 0, sizeof(*p));
}

FILE *plot_data(struct plotter *p, char **path)
{
	FILE *f;

	*path = xasprintf("%s/data-%u.dat", p->tmp, p->seq++);
	f = fopen(*path, "w");
	if (!f) {
		free(*path);
		*path = NULL;
	}
	return f;
}

char *gp_quote(const char *s)
{
	char *d = xcalloc(2 * strlen(s) + 1, 1), *o = d;

	for (; *s; s++) {
		if (*s == '\'')
			*o++ = '\'';
		*o++ = *s;
	}
	return d;
}

char *file_safe(const char *s)
{
	char *d = xstrdup(s), *c;

	for (c = d; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' ||
		      *c == '_'))
			*c = '_';
	return d;
}

/* Run gnuplot; its output goes to log.  Exit status, or -errno. */
static int run_gnuplot(const char *gnuplot, const char *expr,
		       const char *script, const char *log)
{
	int status, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execl(gnuplot, "gnuplot", "-e", expr, script, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void log_tail(const char *log, char *out, size_t len)
{
	char line[256] = "", prev[256] = "";
	FILE *f = fopen(log, "r");

	out[0] = '\0';
	if (!f)
		return;
	/* gnuplot's last non-empty line says what went wrong */
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && strspn(line, " ^") != strlen(line))
			snprintf(prev, sizeof(prev), "%s", line);
	}
	fclose(f);
	snprintf(out, len, "%s", prev);
}

/*
 * Did gnuplot write all of path?  It exits 0 even when a full disk cut
 * the file short, so the end is checked: an SVG ends with its closing
 * tag, a PNG with its IEND chunk.
 */
static bool plot_complete(const char *path, const char *ext)
{
	static const unsigned char iend[12] = {
		0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
	};
	unsigned char end[64];
	size_t n;
	FILE *f = fopen(path, "rb");
	long size;

	if (!f)
		return false;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 12 ||
	    fseek(f, size > (long)sizeof(end) ? size - (long)sizeof(end) : 0,
		  SEEK_SET)) {
		fclose(f);
		return false;
	}
	n = fread(end, 1, sizeof(end), f);
	fclose(f);
	if (!strcmp(ext, "png"))
		return n >= sizeof(iend) &&
		       !memcmp(end + n - sizeof(iend), iend, sizeof(iend));
	while (n && (end[n - 1] == '\n' || end[n - 1] == '\r' ||
		     end[n - 1] == ' ' || end[n - 1] == '\t'))
		n--;
	return n >= 6 && !memcmp(end + n - 6, "</svg>", 6);
}

int plot_draw(struct plotter *p, const char *script, const char *name,
	      const char *params_fmt, ...)
{
	static const char *const ext[] = { "png", "svg" };
	char *params, *expr, *scr, *outbase, *log, *qdir, *qout, tail[256];
	va_list ap;
	int rc, i, ret = 0;

	p->last_error[0] = '\0';
	if (!p->gnuplot) {
		snprintf(p->last_error, sizeof(p->last_error),
			 "gnuplot is not installed");
		return -1;
	}
	va_start(ap, params_fmt);
	if (vasprintf(&params, params_fmt, ap) < 0)
		abort();
	va_end(ap);
	scr = xasprintf("%s/%s.gp", p->gp_dir, script);
	outbase = xasprintf("%s/%s", p->tmp, name);
	log = xasprintf("%s/%s.log", p->tmp, name);
	qdir = gp_quote(p->gp_dir);
	qout = gp_quote(outbase);
	expr = xasprintf("gpdir='%s'; outbase='%s'; %s", qdir, qout, params);
	rc = run_gnuplot(p->gnuplot, expr, scr, log);
	if (rc) {
		log_tail(log, tail, sizeof(tail));
		snprintf(p->last_error, sizeof(p->last_error),
			 "gnuplot %s.gp failed (%s%d)%s%s", script,
			 rc < 0 ? "error " : "exit ", rc, *tail ? ": " : "", tail);
		ret = -1;
	}
	for (i = 0; !ret && i < 2; i++) {
		char *from = xasprintf("%s.%s", outbase, ext[i]);
		char *to = xasprintf("%s/%s.%s", p->plots_dir, name, ext[i]);
		struct stat st;

		if (stat(from, &st) || st.st_size == 0) {
			snprintf(p->last_error, sizeof(p->last_error),
				 "gnuplot %s.gp wrote no %s", script, ext[i]);
			ret = -1;
		} else if (!plot_complete(from, ext[i])) {
			snprintf(p->last_error, sizeof(p->last_error),
				 "gnuplot %s.gp wrote a truncated %s (disk full?)",
				 script, ext[i]);
			ret = -1;
		} else if (rename(from, to)) {
			snprintf(p->last_error, sizeof(p->last_error),
				 "%s: %s", to, strerror(errno));
			ret = -1;
		}
		free(from);
		free(to);
	}
	if (ret)
		p->failures++;
	free(params);
	free(scr);
	free(outbase);
	free(log);
	free(qdir);
	free(qout);
	free(expr);
	return ret;
}

void plot_write_hist(FILE *f, const struct hist *h)
{
	uint64_t next = 0;
	size_t i;

	for (i = 0; i < h->n; i++) {
		uint64_t b = h->bucket[i];

		if (i == 0)
			fprintf(f, "%.17g 0\n", (double)b * h->bucket_ns);
		else if (b > next)
			fprintf(f, "%.17g 0\n", (double)next * h->bucket_ns);
		fprintf(f, "%.17g %llu\n", (double)b * h->bucket_ns,
			(unsigned long long)h->count[i]);
		next = b + 1;
	}
	if (h->n)
		fprintf(f, "%.17g 0\n", (double)next * h->bucket_ns);
	else
		fprintf(f, "0 0\n");
	fprintf(f, "\n\n");
}
