/*
** cu_alloc.c - the lua_Alloc of every state: exact accounting against the
** memory limit, and small blocks from the state's own slabs.
*/
#include <stdlib.h>
#include <string.h>

#include "cu_core.h"
#include "cu_alloc.h"


/*
** Small blocks. A JVM runs Lua on threads whose malloc arena is not the
** main one, and glibc's per-thread arenas made allocation-heavy Lua code
** twice as slow as the standalone interpreter. So blocks of at most
** CU_SMALL_MAX bytes are carved from slabs the state owns (1 KiB ones
** first, then 64 KiB) and recycled through one free list per 16-byte
** class. Invariants: a block's class follows from the size Lua gives with
** it (Lua always passes the size it asked for), so blocks need no header;
** slabs are freed only by cu_alloc_close, after lua_close. AddressSanitizer builds define
** CU_NOSLAB: every block then comes from malloc, where the sanitizer
** sees it.
*/
#if defined(CU_NOSLAB)
#define issmall(n) 0
#else
#define issmall(n) ((n) <= CU_SMALL_MAX)
#endif
#define classof(n) (((n) + CU_SMALL_STEP - 1) / CU_SMALL_STEP - 1)

/*
** A new slab for carving: from malloc, or the spare when 'shrinking'.
** Until the state has CU_SLAB_EARLY bytes of slabs they are CU_SLAB_FIRST
** bytes (an idle unit fills about 13): its memory is then one run of
** touched pages, where the untouched rest of one 64 KiB slab cut it into
** two, each ending in a partly used page (about 4 KB per idle unit). The
** rest of the old slab, smaller than the block that asked (so a small
** block, a multiple of CU_SMALL_STEP), goes onto the free list of its class.
*/
static int newslab (cu_State *S, int shrinking) {
  size_t size = (S->alloc.slabbed < CU_SLAB_EARLY) ? CU_SLAB_FIRST : CU_SLAB_SIZE;
  void **slab = (void **)malloc(size);
  if (slab == NULL) {
    if (!shrinking || S->alloc.spare == NULL)
      return 0;
    slab = (void **)S->alloc.spare;
    S->alloc.spare = NULL;
    size = CU_SLAB_SIZE;
  }
  if (S->alloc.slableft >= CU_SMALL_STEP) {
    int c = (int)classof(S->alloc.slableft);
    *(void **)S->alloc.slabp = S->alloc.freel[c];
    S->alloc.freel[c] = S->alloc.slabp;
  }
  *slab = S->alloc.slabs; /* the first word links the slabs */
  S->alloc.slabs = slab;
  S->alloc.slabp = (char *)slab + CU_SMALL_STEP;
  S->alloc.slableft = size - CU_SMALL_STEP;
  S->alloc.slabbed += size;
  /*
  ** With full-size slabs, keep one in reserve for shrinks: a unit that
  ** needs no more than the small ones (an idle one) would pay a page of it
  ** for nothing.
  */
  if (S->alloc.spare == NULL && size == CU_SLAB_SIZE)
    S->alloc.spare = malloc(CU_SLAB_SIZE);
  return 1;
}

static void *smallalloc (cu_State *S, size_t n, int shrinking) {
  int c = (int)classof(n);
  size_t size = (size_t)(c + 1) * CU_SMALL_STEP;
  void *p = S->alloc.freel[c];
  if (p != NULL) {
    S->alloc.freel[c] = *(void **)p;
    return p;
  }
  if (S->alloc.slableft < size && !newslab(S, shrinking))
    return NULL;
  p = S->alloc.slabp;
  S->alloc.slabp += size;
  S->alloc.slableft -= size;
  return p;
}

static void release (cu_State *S, void *p, size_t n) {
  if (issmall(n)) {
    int c = (int)classof(n);
    *(void **)p = S->alloc.freel[c];
    S->alloc.freel[c] = p;
  }
  else
    free(p);
}

/* A block of nsize bytes holding the first bytes of 'ptr' (old bytes). */
static void *resize (cu_State *S, void *ptr, size_t old, size_t nsize) {
  void *np;
  if (issmall(nsize)) {
    if (ptr != NULL && issmall(old) && classof(old) == classof(nsize))
      return ptr;
    np = smallalloc(S, nsize, ptr != NULL && nsize < old);
    if (np == NULL) /* out of memory twice over: a shrink keeps its block */
      return (ptr != NULL && nsize < old) ? ptr : NULL;
  }
  else if (ptr != NULL && !issmall(old))
    return realloc(ptr, nsize);
  else if ((np = malloc(nsize)) == NULL)
    return NULL;
  if (ptr != NULL) {
    memcpy(np, ptr, old < nsize ? old : nsize);
    release(S, ptr, old);
  }
  return np;
}


/*
** The lua_Alloc of every state. Invariant: info.mem_used is the sum of
** the sizes of all live blocks (as Lua asked for them). Growth beyond the
** limit is refused (Lua then collects garbage and retries once, and raises
** a memory error if that fails); freeing and shrinking always succeed, as
** Lua requires: a shrink into a small class may use the spare slab (kept
** from a unit's second slab on), and with no memory left at all keeps its
** block (one from malloc then stays on a free list until the process ends).
*/
void *cu_alloc_realloc (void *ud, void *ptr, size_t osize, size_t nsize) {
  cu_State *S = (cu_State *)ud;
  size_t old = (ptr != NULL) ? osize : 0; /* osize is a type tag if NULL */
  void *np;
  if (nsize == 0) {
    if (ptr != NULL)
      release(S, ptr, old);
    S->info.mem_used -= (int64_t)old;
    return NULL;
  }
  if (nsize > old && S->info.mem_limit > 0) {
    int64_t limit = S->info.mem_limit + (S->alloc.inhandler ? CU_HANDLER_SLACK : 0);
    if (S->info.mem_used + (int64_t)(nsize - old) > limit) {
      S->info.mem_refused = (int64_t)nsize; /* for the message (cu_protect clears it) */
      S->info.mem_refused_used = S->info.mem_used;
      return NULL;
    }
  }
  np = resize(S, ptr, old, nsize);
  if (np == NULL)
    return NULL;
  S->info.mem_used += (int64_t)nsize - (int64_t)old;
  if (S->info.mem_used > S->info.mem_peak)
    S->info.mem_peak = S->info.mem_used;
  return np;
}


/* Called by cu_limits_close, after lua_close: no block is live. */
void cu_alloc_close (cu_State *S) {
  void *slab = S->alloc.slabs;
  while (slab != NULL) {
    void *next = *(void **)slab;
    free(slab);
    slab = next;
  }
  free(S->alloc.spare);
  S->alloc.slabs = S->alloc.spare = NULL;
}
