// SPDX-License-Identifier: MIT
/*
 * Frame-pointer backtraces with symbol names.
 *
 * The kernel is built with -fno-omit-frame-pointer. GCC's RISC-V frame
 * record sits just below the frame pointer: return address at fp - 8 and
 * the caller's fp at fp - 16. A leaf function saves only the caller's fp,
 * at fp - 8; for the first frame of a trap we detect that (the word there
 * is itself a plausible frame pointer) and take ra from the registers.
 * A frameless leaf (picolibc's memset, built without frame pointers)
 * leaves fp at its caller's record; we detect that too: ra then points
 * into a function other than pc's and is not the record's return
 * address, so ra names the caller. Every fp is checked against the
 * hart's stack before it is read.
 *
 * Symbols come from kallsyms_*: a sorted table of function addresses and
 * names that a post-link step (scripts/kallsyms.py) adds to the image.
 */
#include <rvmem/printk.h>
#include <rvmem/smp.h>
#include <rvmem/trap.h>

#define BACKTRACE_MAX_DEPTH	32

extern const unsigned long kallsyms_num;
extern const unsigned long kallsyms_addrs[];
extern const unsigned int kallsyms_name_offs[];
extern const char kallsyms_names[];
extern char _stext[], _etext[];

const char *kallsyms_lookup(unsigned long addr, unsigned long *offset)
{
	unsigned long lo = 0, hi = kallsyms_num;

	if (addr < (unsigned long)_stext || addr >= (unsigned long)_etext ||
	    !hi || addr < kallsyms_addrs[0])
		return NULL;
	while (hi - lo > 1) {		/* last entry with address <= addr */
		unsigned long mid = lo + (hi - lo) / 2;

		if (kallsyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - kallsyms_addrs[lo];
	return kallsyms_names + kallsyms_name_offs[lo];
}

static bool fp_on_stack(const struct hart *h, unsigned long fp)
{
	return IS_ALIGNED(fp, 8) &&
	       ((fp > h->stack_base + 16 && fp <= h->stack_top) ||
		(fp > h->app_stack_base + 16 && fp <= h->app_stack_top));
}

/*
 * @ret: @pc is a return address. The call before it may be the last
 * instruction of its function (a call to a noreturn function), so the
 * symbol is looked up for pc - 1, as Linux's %pB does.
 */
static void print_frame(unsigned long pc, bool ret)
{
	unsigned long off;
	const char *name = kallsyms_lookup(pc - ret, &off);

	if (name)
		printk("  [<%016lx>] %s+0x%lx\n", pc, name, off + ret);
	else
		printk("  [<%016lx>] ?\n", pc);
}

/* The start of the function holding @addr, or 0 if it has no symbol. */
static unsigned long function_start(unsigned long addr)
{
	unsigned long off;

	return kallsyms_lookup(addr, &off) ? addr - off : 0;
}

/*
 * Does the trapping function at @pc have no frame record of its own, so
 * that @fp is its caller's? Then @ra, the return address into the
 * caller, is in another function and differs from the record's.
 */
static bool frameless_leaf(unsigned long pc, unsigned long fp,
			   unsigned long ra)
{
	unsigned long start = function_start(ra - 1);

	return start && start != function_start(pc) &&
	       ra != ((unsigned long *)fp)[-1];
}

/*
 * Call @fn(pc, @arg) for the return address of each frame record from
 * @fp up, until @fn returns false or the records leave the stack.
 */
static void walk_frames(unsigned long fp,
			bool (*fn)(unsigned long pc, void *arg), void *arg)
{
	const struct hart *h = this_hart();
	unsigned int depth;

	for (depth = 0; depth < BACKTRACE_MAX_DEPTH && fp_on_stack(h, fp);
	     depth++) {
		unsigned long next = ((unsigned long *)fp)[-2];
		unsigned long pc = ((unsigned long *)fp)[-1];

		if (!pc || !fn(pc, arg))
			break;
		if (next <= fp)		/* stacks grow down: callers are above */
			break;
		fp = next;
	}
}

static bool print_return(unsigned long pc, void *arg)
{
	(void)arg;
	print_frame(pc, true);
	return true;
}

void show_backtrace(unsigned long pc, unsigned long fp, unsigned long ra)
{
	const struct hart *h = this_hart();

	printk("Call trace:\n");
	print_frame(pc, false);
	if (fp_on_stack(h, fp) && fp_on_stack(h, ((unsigned long *)fp)[-1])) {
		/* Leaf: the slot at fp - 8 holds the caller's fp, not ra. */
		print_frame(ra, true);
		fp = ((unsigned long *)fp)[-1];
	} else if (ra && fp_on_stack(h, fp) && frameless_leaf(pc, fp, ra)) {
		print_frame(ra, true);
	}
	walk_frames(fp, print_return, NULL);
}

struct trace_store {
	unsigned long *store;
	unsigned int size;
	unsigned int skip;
	unsigned int nr;
};

static bool save_return(unsigned long pc, void *arg)
{
	struct trace_store *t = arg;

	if (t->skip)
		t->skip--;
	else
		t->store[t->nr++] = pc;
	return t->nr < t->size;
}

/* noinline, and not a leaf (it calls): its own frame record is whole. */
noinline unsigned int stack_trace_save(unsigned long *store,
				       unsigned int size, unsigned int skipnr)
{
	struct trace_store t = { store, size, skipnr, 0 };

	if (size)
		walk_frames((unsigned long)__builtin_frame_address(0),
			    save_return, &t);
	return t.nr;
}

void dump_stack(void)
{
	unsigned long fp = (unsigned long)__builtin_frame_address(0);

	show_backtrace((unsigned long)dump_stack, fp, 0);
}
