/*
** fuzz_slots.c - the slots Java writes (cu_slots_push): any bytes as a
** cu_Slots block, taken as a call's arguments by name; a call that runs
** gives its arguments back, through the slots, and those must make the
** same values again (what the shim writes, it reads).
*/
#include <string.h>

#include "fuzz.h"

static cu_State *S;

/* Whether a and b hold the same n values (types, numbers, text). */
static int same (const cu_Slots *a, const cu_Slots *b) {
  if (a->n != b->n)
    return 0;
  for (int i = 0; i < a->n; i++) {
    const cu_Slot *x = &a->slot[i], *y = &b->slot[i];
    if (x->type != y->type)
      return 0;
    switch (x->type) {
      case CU_SLOT_INT:
      case CU_SLOT_FLOAT:
        if (x->v != y->v)
          return 0;
        break;
      case CU_SLOT_TEXT:
      case CU_SLOT_BYTES:
        if (x->len != y->len || memcmp(a->text + x->v, b->text + y->v, (size_t)x->len) != 0)
          return 0;
        break;
      default: break;
    }
  }
  return 1;
}

/* The slots as the shim wrote them: a count in range, every text range inside. */
static int wellformed (const cu_Slots *k) {
  if (k->n < 0 || k->n > CU_SLOTS_MAX || k->used < 0 || k->used > CU_SLOTS_TEXT)
    return 0;
  for (int i = 0; i < k->n; i++) {
    const cu_Slot *s = &k->slot[i];
    if (s->type < CU_SLOT_NIL || s->type > CU_SLOT_BYTES)
      return 0;
    if ((s->type == CU_SLOT_TEXT || s->type == CU_SLOT_BYTES) &&
        (s->v < 0 || s->len < 0 || s->v + s->len > k->used))
      return 0;
  }
  return 1;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  static cu_Slots first;
  cu_Slots *k;
  int st;
  if (S == NULL) {
    S = fz_state();
    FZ_ASSERT(fz_run(S, "function f(...) return ... end", 0) == CU_OK);
  }
  k = cu_state_slots(S);
  FZ_ASSERT(k != NULL);
  memset(k, 0, sizeof *k);
  memcpy(k, data, size < sizeof *k ? size : sizeof *k);
  st = cu_state_call(S, "f", NULL, 0, CU_RESULT_ALL | CU_ARGS_SLOTS | CU_RESULT_SLOTS);
  FZ_ASSERT(fz_runstatus(st));
  if (st != CU_OK || k->n == CU_SLOTS_CBOR)
    return 0;
  FZ_ASSERT(wellformed(k));
  first = *k;
  st = cu_state_call(S, "f", NULL, 0, CU_RESULT_ALL | CU_ARGS_SLOTS | CU_RESULT_SLOTS);
  FZ_ASSERT(st == CU_OK && same(&first, k));
  return 0;
}
