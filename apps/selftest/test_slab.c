// SPDX-License-Identifier: MIT
/*
 * The slab allocator on the real boot: kmalloc classes and large
 * kmalloc, a cache with a constructor, and a random mix on every hart at
 * once in which each hart frees objects another hart allocated (passed
 * through a shared ring), so frees land on slabs other harts own; and
 * the fast paths, the slab's and the page allocator's, interrupted by
 * handlers that use the same per-hart sheaves and lists.
 */
#include <pthread.h>
#include <string.h>
#include <asm/irqflags.h>
#include <asm/timer.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/mm.h>
#include <rvmem/param.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include <rvmem/spinlock.h>

#define HART_OPS	20000
#define HART_LIVE	256
#define RING		64
#define CHURN_ROUNDS	4000	/* at least; then on until enough restarts */
#define CHURN_RESTARTS	50
/*
 * Restarts come per timer interrupt, 1 to 7 in 100 landing inside a
 * sequence. Nested KVM without Sstc delivers about 300 interrupts a
 * second where TCG delivers thousands, so the churn stops at 10,000
 * interrupts rather than at a number of rounds.
 */
#define CHURN_MAX_IRQS	10000
#define CHURN_MAX_ROUNDS	2000000	/* if the timer stops altogether */
#define CHURN_BURST	200	/* past a sheaf or two: swaps and trades */
#define CHURN_PERIOD_US	5
#define CHURN_LIVE	0x11fe11fe11fe11feUL

/* Expect each size's ksize() to be at least it, the class for 1..8192. */
static void kmalloc_sizes_and_large(struct ktest *t)
{
	static const size_t sizes[] = { 1, 8, 9, 64, 65, 96, 97, 192, 193,
					512, 4096, 8192, 8193, 100000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *p = kmalloc(sizes[i], GFP_KERNEL);

		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_TRUE(t, ksize(p) >= sizes[i]);
		memset(p, 0x33, sizes[i]);
		kfree(p);
	}
	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(NULL);
}

static void ctor_mark(void *object)
{
	*(u32 *)object = 0xc0ffee;
}

/* Expect constructed objects, kept across free and alloc; destroy. */
static void kmem_cache_ctor_on_guest(struct ktest *t)
{
	struct kmem_cache *s = kmem_cache_create("selftest_ctor", 72, 0,
						 SLAB_HWCACHE_ALIGN,
						 ctor_mark);
	u32 *p;

	KTEST_ASSERT_TRUE(t, s != NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, *p, 0xc0ffee);
	KTEST_EXPECT_EQ(t, (unsigned long)p & 63, 0);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

struct slot {
	u8 *p;
	size_t size;
	u8 tag;
};

struct smp_run {
	spinlock_t lock;
	struct slot ring[RING];
	unsigned int head, count;
	unsigned long errors[NR_CPUS], allocs[NR_CPUS], remote[NR_CPUS];
};

static u64 next_rand(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static bool slot_ok(const struct slot *s)
{
	size_t i;

	for (i = 0; i < s->size; i++)
		if (s->p[i] != (u8)(s->tag + i))
			return false;
	return true;
}

static void slot_free(struct smp_run *run, struct slot *s, unsigned int cpu)
{
	if (!slot_ok(s))
		run->errors[cpu]++;
	kfree(s->p);
}

/* Pass @s to whichever hart pops it; Return: false if the ring is full. */
static bool ring_push(struct smp_run *run, const struct slot *s)
{
	unsigned long flags = spin_lock_irqsave(&run->lock);
	bool ok = run->count < RING;

	if (ok)
		run->ring[(run->head + run->count++) % RING] = *s;
	spin_unlock_irqrestore(&run->lock, flags);
	return ok;
}

static bool ring_pop(struct smp_run *run, struct slot *s)
{
	unsigned long flags = spin_lock_irqsave(&run->lock);
	bool ok = run->count > 0;

	if (ok) {
		*s = run->ring[run->head];
		run->head = (run->head + 1) % RING;
		run->count--;
	}
	spin_unlock_irqrestore(&run->lock, flags);
	return ok;
}

static void run_on_hart(void *arg)
{
	struct smp_run *run = arg;
	unsigned int cpu = smp_processor_id(), n = 0, op;
	struct slot live[HART_LIVE], s;
	u64 x = 0x51ab + cpu;
	size_t i;

	for (op = 0; op < HART_OPS; op++) {
		unsigned int r = next_rand(&x) % 8;

		if (r < 4 && n < HART_LIVE) {
			s.size = 1 + next_rand(&x) % 600;
			s.p = kmalloc(s.size, GFP_KERNEL);
			if (!s.p) {
				run->errors[cpu]++;
				continue;
			}
			s.tag = x;
			for (i = 0; i < s.size; i++)
				s.p[i] = (u8)(s.tag + i);
			live[n++] = s;
			run->allocs[cpu]++;
		} else if (r == 4 && ring_pop(run, &s)) {
			slot_free(run, &s, cpu);
			run->remote[cpu]++;
		} else if (n) {
			unsigned int k = next_rand(&x) % n;

			s = live[k];
			live[k] = live[--n];
			if (r != 5 || !ring_push(run, &s))
				slot_free(run, &s, cpu);
		}
	}
	while (n)
		slot_free(run, &live[--n], cpu);
}

/*
 * Every online hart at once: HART_OPS kmalloc/kfree of 1 to 600 bytes,
 * a share of the frees passed through a ring to be freed by whichever
 * hart takes them. Expect every object's contents intact at free.
 */
static void kmalloc_random_on_each_hart(struct ktest *t)
{
	struct smp_run *run = kzalloc(sizeof(*run), GFP_KERNEL);
	unsigned long errors = 0, allocs = 0, remote = 0;
	struct slot s;
	unsigned int cpu;

	KTEST_ASSERT_TRUE(t, run != NULL);
	on_each_hart(run_on_hart, run);
	while (ring_pop(run, &s))
		slot_free(run, &s, 0);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		errors += run->errors[cpu];
		allocs += run->allocs[cpu];
		remote += run->remote[cpu];
	}
	printk("        # %u harts: %lu allocations, %lu freed from the "
	       "ring\n", nr_cpus_online, allocs, remote);
	KTEST_EXPECT_EQ(t, errors, 0);
	KTEST_EXPECT_TRUE(t, allocs >= nr_cpus_online * HART_OPS / 4);
	kfree(run);
}

/* The state a churn shares with its timer handler and its shrinker. */
static struct {
	struct kmem_cache *cache;
	void *held;
	struct page *held_page;
	u64 period;
	unsigned long irqs, errors, shrinks;
	volatile bool stop;
} churn;

/*
 * Mark @p as live; Return: false if it is NULL or marked already, that
 * is, handed out twice.
 */
static bool churn_take(void *p)
{
	unsigned long *word = p;

	if (!p || *word == ((unsigned long)p ^ CHURN_LIVE))
		return false;
	*word = (unsigned long)p ^ CHURN_LIVE;
	return true;
}

static void churn_give(void *p)
{
	*(unsigned long *)p = 0;
	kmem_cache_free(churn.cache, p);
}

/* A page from this hart's list, marked as objects are; NULL if taken. */
static struct page *churn_take_page(gfp_t gfp)
{
	struct page *page = alloc_page(gfp);

	if (page && churn_take(page_address(page)))
		return page;
	churn.errors++;
	return NULL;
}

static void churn_give_page(struct page *page)
{
	if (page) {
		*(unsigned long *)page_address(page) = 0;
		__free_page(page);
	}
}

/*
 * Where an interrupt lands is up to the host unless QEMU runs with
 * -icount: TCG otherwise takes it at the next translation block, and when
 * that is depends on how the host schedules QEMU's threads: of 120 2-hart
 * boots, three at a time on two cores, most saw 60 to 970 restarts in
 * 10,000 interrupts, but two saw 9 and 19. Under -icount it lands at an exact
 * instruction count, so the number restarted is the workload's, not the
 * host's, and worth asserting.
 */
static bool exact_interrupts;

static int set_exact_interrupts(const char *val)
{
	return param_set_flag(val, &exact_interrupts);
}
KERNEL_PARAM(param_selftest_icount, "selftest.icount", set_exact_interrupts,
	     "selftest.icount: QEMU runs with -icount, so interrupts land at "
	     "exact instruction counts and tests may count where they land");

/*
 * The timer interrupt, on the same hart: give back the object and page
 * it took last time and take new ones, holding them until the next tick,
 * so that a fast path it interrupted and did not restart would hand out
 * the same one again; and free and allocate two objects more.
 */
static void churn_timer(void)
{
	void *a = kmem_cache_alloc(churn.cache, GFP_ATOMIC);
	void *b = kmem_cache_alloc(churn.cache, GFP_ATOMIC);

	if (churn.held)
		churn_give(churn.held);
	churn_give_page(churn.held_page);
	churn.held = a;
	churn.held_page = churn_take_page(GFP_ATOMIC);
	if (!churn_take(a) || !churn_take(b))
		churn.errors++;
	if (b)
		churn_give(b);
	churn.irqs++;
	timer_set_deadline(timer_read() + churn.period);
}

/*
 * Another hart: empty every hart's sheaves and page lists, by
 * cross-call, meanwhile.
 */
static void *churn_shrinker(void *arg)
{
	(void)arg;
	while (!churn.stop) {
		kmem_cache_shrink(churn.cache);
		drain_all_pages();
		churn.shrinks++;
	}
	return NULL;
}

/*
 * The fast paths are restartable sequences, not interrupt-masked ones
 * (asm/rseq.h). Allocate and free bursts of a cache's objects, a page
 * with each, in normal context while a timer interrupt every few microseconds
 * allocates and frees the same cache and pages on the same hart, and
 * another hart (if there is one) keeps emptying every hart's sheaves and
 * page lists by cross-call. Go on until CHURN_RESTARTS interrupts have
 * landed inside sequences and restarted them (or CHURN_MAX_IRQS have
 * come). Expect no object or page handed out twice; and, where interrupts
 * land at exact instruction counts (selftest.icount), the restarts.
 */
static void fast_paths_interrupted(struct ktest *t)
{
	unsigned long *seq_restarts = &this_hart()->seq_restarts;
	unsigned long restarts = *seq_restarts, flags;
	static struct page *pages[CHURN_BURST];
	static void *objs[CHURN_BURST];
	unsigned int round, i, n;
	bool shrinking;
	pthread_t shrinker;
	u64 x = 0xc4u;

	memset(&churn, 0, sizeof(churn));
	churn.cache = kmem_cache_create("churn", 64, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, churn.cache != NULL);
	churn.period = CHURN_PERIOD_US * timer_ticks_per_us();
	shrinking = !pthread_create(&shrinker, NULL, churn_shrinker, NULL);
	flags = local_irq_save();
	this_hart()->timer_fn = churn_timer;
	timer_set_deadline(timer_read() + churn.period);
	local_irq_enable();
	for (round = 0; round < CHURN_ROUNDS ||
	     (*seq_restarts - restarts < CHURN_RESTARTS &&
	      READ_ONCE(churn.irqs) < CHURN_MAX_IRQS &&
	      round < CHURN_MAX_ROUNDS);
	     round++) {
		n = 1 + next_rand(&x) % CHURN_BURST;
		for (i = 0; i < n; i++) {
			objs[i] = kmem_cache_alloc(churn.cache, GFP_KERNEL);
			if (!churn_take(objs[i]))
				churn.errors++;
			pages[i] = churn_take_page(GFP_KERNEL);
		}
		for (i = 0; i < n; i++) {	/* in order or reversed */
			unsigned int k = round & 1 ? i : n - 1 - i;

			if (objs[k])
				churn_give(objs[k]);
			churn_give_page(pages[k]);
		}
	}
	local_irq_disable();
	this_hart()->timer_fn = NULL;
	timer_set_deadline(TIMER_NEVER);
	local_irq_restore(flags);
	if (churn.held)
		churn_give(churn.held);
	churn_give_page(churn.held_page);
	churn.stop = true;
	if (shrinking)
		pthread_join(shrinker, NULL);
	restarts = *seq_restarts - restarts;
	printk("        # %u rounds, %lu interrupts, %lu sequences restarted, "
	       "%lu shrinks and drains from another hart\n", round, churn.irqs,
	       restarts, churn.shrinks);
	KTEST_EXPECT_EQ(t, churn.errors, 0);
	if (exact_interrupts)
		KTEST_EXPECT_TRUE(t, restarts >= CHURN_RESTARTS);
	kmem_cache_destroy(churn.cache);
}

static const struct ktest_case slab_cases[] = {
	KTEST_CASE(kmalloc_sizes_and_large),
	KTEST_CASE(kmem_cache_ctor_on_guest),
	KTEST_CASE(kmalloc_random_on_each_hart),
	KTEST_CASE(fast_paths_interrupted),
	{}
};

KTEST_SUITE(slab_suite) = {
	.name = "slab",
	.cases = slab_cases,
};
