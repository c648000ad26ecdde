/*
 * pool.c: worker threads over a batch of items; see pool.h.
 *
 * One mutex guards the batch: the next item to hand out, the items
 * finished, and whether the pool is closing. Workers sleep on "work"
 * between batches; the owner sleeps on "done" (with a timeout, so that
 * it can draw a progress line) until the last item of a batch is
 * finished. The condition variables run on the monotonic clock, which
 * a change of the date does not move.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "pool.h"

struct worker {
	struct sl_pool	*pool;
	pthread_t	 tid;
	void		*scratch;
};

struct sl_pool {
	pthread_mutex_t	 mu;
	pthread_cond_t	 work;
	pthread_cond_t	 done;
	sl_pool_fn	*fn;
	void		*arg;
	size_t		 n;		/* items in the batch */
	size_t		 next;		/* the next one to hand out */
	size_t		 finished;
	bool		 busy;		/* started and not yet waited for */
	bool		 quit;
	unsigned	 nthreads;	/* started */
	size_t		 scratch;
	struct worker	*w;
};

static void *
work(void *v)
{
	struct worker *w = v;
	struct sl_pool *p = w->pool;
	size_t i;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && p->next >= p->n)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->quit)
			break;
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		p->fn(p->arg, i, w->scratch);
		pthread_mutex_lock(&p->mu);
		if (++p->finished == p->n)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static bool
init_sync(struct sl_pool *p)
{
	pthread_condattr_t ca;
	bool ok;

	if (pthread_condattr_init(&ca) != 0)
		return false;
	ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
	    pthread_mutex_init(&p->mu, NULL) == 0;
	if (ok && pthread_cond_init(&p->work, &ca) != 0)
		ok = false;
	if (ok && pthread_cond_init(&p->done, &ca) != 0) {
		pthread_cond_destroy(&p->work);
		ok = false;
	}
	pthread_condattr_destroy(&ca);
	return ok;
}

/* A pool of nthreads workers with scratch bytes each; NULL (reported). */
struct sl_pool *
sl_pool_new(unsigned nthreads, size_t scratch, sl_pool_fn *fn)
{
	struct sl_pool *p;
	unsigned i;
	int e;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->w = calloc(nthreads, sizeof(*p->w))) == NULL) {
		free(p);
		sl_err("out of memory");
		return NULL;
	}
	if (!init_sync(p)) {
		free(p->w);
		free(p);
		sl_err("cannot set up the threads' locks");
		return NULL;
	}
	p->fn = fn;
	p->scratch = scratch;
	for (i = 0; i < nthreads; i++) {
		p->w[i].pool = p;
		if ((p->w[i].scratch = calloc(1, scratch ? scratch : 1)) ==
		    NULL) {
			sl_err("out of memory");
			sl_pool_free(p);
			return NULL;
		}
		if ((e = pthread_create(&p->w[i].tid, NULL, work, &p->w[i])) !=
		    0) {
			free(p->w[i].scratch);
			sl_err("cannot start a thread: %s", strerror(e));
			sl_pool_free(p);
			return NULL;
		}
		p->nthreads++;
	}
	return p;
}

/* Hands the batch of n items to the workers; the last one was waited for. */
void
sl_pool_start(struct sl_pool *p, void *arg, size_t n)
{
	pthread_mutex_lock(&p->mu);
	p->arg = arg;
	p->n = n;
	p->next = 0;
	p->finished = 0;
	p->busy = n > 0;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
}

/*
 * Waits at most timeout seconds (a negative timeout: as long as it
 * takes) for the batch. True when it is done (or none is running);
 * *done (may be NULL) says how many items are finished.
 */
bool
sl_pool_wait(struct sl_pool *p, double timeout, size_t *done)
{
	struct timespec ts;
	bool all;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (timeout >= 0) {
		ts.tv_sec += (time_t)timeout;
		ts.tv_nsec += (long)((timeout - (double)(time_t)timeout) * 1e9);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&p->mu);
	while (p->busy && p->finished < p->n) {
		if (timeout < 0)
			pthread_cond_wait(&p->done, &p->mu);
		else if (pthread_cond_timedwait(&p->done, &p->mu, &ts) ==
		    ETIMEDOUT)
			break;
	}
	all = !p->busy || p->finished == p->n;
	if (all)
		p->busy = false;
	if (done != NULL)
		*done = p->finished;
	pthread_mutex_unlock(&p->mu);
	return all;
}

bool
sl_pool_busy(const struct sl_pool *p)
{
	return p->busy;
}

/* Waits for a running batch, stops the workers, frees it all. NULL is fine. */
void
sl_pool_free(struct sl_pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	sl_pool_wait(p, -1, NULL);
	pthread_mutex_lock(&p->mu);
	p->quit = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->w[i].tid, NULL);
	for (i = 0; i < p->nthreads; i++) {
		explicit_bzero(p->w[i].scratch, p->scratch);
		free(p->w[i].scratch);
	}
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p->w);
	free(p);
}
