/*
 * pool.h: a few worker threads that run one function over the items of
 * a batch while the thread that owns the pool does something else
 * (password reads the next batch of rows and writes the last one while
 * the pool hashes this one). One batch at a time: sl_pool_start hands a
 * batch over, sl_pool_wait waits for it to be done; what the function
 * writes for an item is the caller's to read once the batch is done.
 *
 * Each worker has scratch memory of its own, zeroed when the pool is
 * made and zeroed again before it is freed (it may have held secrets).
 * fn(arg, i, scratch) runs for every i in [0, n) once, on some worker;
 * it must not touch what another item's call touches.
 */
#ifndef SLUICE_POOL_H
#define SLUICE_POOL_H

#include <stdbool.h>
#include <stddef.h>

typedef void sl_pool_fn(void *arg, size_t i, void *scratch);

struct sl_pool;

struct sl_pool *sl_pool_new(unsigned nthreads, size_t scratch,
    sl_pool_fn *fn);
void sl_pool_start(struct sl_pool *p, void *arg, size_t n);
bool sl_pool_wait(struct sl_pool *p, double timeout, size_t *done);
bool sl_pool_busy(const struct sl_pool *p);
void sl_pool_free(struct sl_pool *p);

#endif
