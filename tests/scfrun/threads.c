// SPDX-License-Identifier: MIT
/*
 * threads.c - a pthreads program for scf-run: 4 threads each write 200
 * lines, into a file at offsets of their own (pwrite) and to stdout
 * under a mutex, each line carrying a value from its thread-local
 * storage; main joins them (the kernel's CLONE_CHILD_CLEARTID wake-up,
 * or the runtime's).  The file is the same bytes as natively, stdout
 * the same lines in some order.
 *
 *   threads FILE
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define THREADS	4
#define LINES	200
#define SLOT	64	/* bytes of the file per line */

static int fd;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static __thread int mine;

static void *writer(void *arg)
{
	long id = (long)arg;
	char buf[SLOT];
	int i, n;

	mine = (int)id * 1000;
	for (i = 0; i < LINES; i++) {
		n = snprintf(buf, sizeof(buf), "thread %ld line %d tls %d\n",
			     id, i, mine + i);
		if (pwrite(fd, buf, (size_t)n, (off_t)(id * LINES + i) * SLOT) != n)
			return (void *)1;
		pthread_mutex_lock(&mu);
		n = (int)write(1, buf, (size_t)n);
		pthread_mutex_unlock(&mu);
		if (n < 0)
			return (void *)1;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];
	void *r;
	long i;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: threads FILE\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror("threads: open");
		return 1;
	}
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, writer, (void *)i))
			return 1;
	for (i = 0; i < THREADS; i++)
		if (pthread_join(t[i], &r) || r)
			bad++;
	printf("joined %d threads, %d failed\n", THREADS, bad);
	return bad != 0;
}
