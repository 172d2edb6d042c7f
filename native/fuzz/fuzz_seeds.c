/*
** fuzz_seeds.c - writes the seed corpus of every harness into
** <dir>/<target>/ (native/fuzz/corpus in the repository):
**   decode, detached  each shared vector (native/test/vectors/values.txt);
**   call              each vector as a one-argument list, and all of them;
**   rows              the rows a real state commits for the scripts below,
**                     table by table in id order (fuzz_rows' input format);
**   detached          also the id lists those commits could remove;
**   chunk             the scripts themselves.
** Usage: fuzz_seeds VECTORS DIR. Deterministic: the same sources give the
** same files, which the fuzz_seeds test checks against the repository.
*/
#include <errno.h>
#include <sys/stat.h>

#include "fuzz.h"

static const char *scripts[] = {
  "_home.a = {1, 2, {x = 3}} _home.s = 'text' _home.f = 1.5 _home.b = '\\xff\\xfe'",
  "_home.f = function(x) return x + 1 end",
  "local n = 0 _home.c = function() n = n + 1 return n end _home.d = _home.c",
  "_home.m = setmetatable({v = 1}, {__index = function(t, k) return k end, "
  "__tostring = function() return 'm' end, __add = function(a, b) return 1 end})",
  "_home.p = {up = string.upper, fmt = string.format, mt = math.type, ins = table.insert}",
  "local t = {} t.self = t _home.cyc = t _home.two = {t, t}",
  "_home.list = {} for i = 1, 20 do _home.list[i] = {i, tostring(i), i / 2} end",
  "_home[1] = true _home[2.5] = false _home[-3] = 'neg' _home[math.maxinteger] = math.mininteger",
  "local x = {} _home.g = function() return x end _home.h = function(v) x = v end",
  "local t = {} for i = 1, 30 do t = {t} end _home.deep = t",
  "_home.t = {} _home.t = nil _home.u = {k = {}} _home.u.k = nil",
  "_home.e = setmetatable({}, {__index = {dflt = 1}, __newindex = {}})",
  "local bigint = require('bigint') _home.big = bigint.new(2) ^ 100 _home.nbig = -_home.big "
  "_home.zbig = bigint.new(0) _home.bigs = {bigint.new(-1), bigint.new(2) ^ 64}",
  NULL};

static char dir[4096];
static int nfiles;

static void makedir (const char *path) {
  if (mkdir(path, 0777) != 0 && errno != EEXIST) {
    perror(path);
    exit(2);
  }
}

static void emit (const char *target, const char *name, const uint8_t *b, size_t n) {
  char path[4200];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", dir, target);
  makedir(path);
  snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
  f = fopen(path, "wb");
  if (f == NULL || fwrite(b, 1, n, f) != n || fclose(f) != 0) {
    perror(path);
    exit(2);
  }
  nfiles++;
}

/* ------------------------------------------------------ a store of rows */

typedef struct Row {
  int64_t id;
  uint8_t *key, *val;
  size_t klen, vlen;
} Row;
static Row store[4096];
static size_t nstore;
static cu_State *cur;

static uint8_t *dup (const uint8_t *p, size_t n) {
  uint8_t *d = (uint8_t *)malloc(n ? n : 1);
  FZ_ASSERT(d != NULL);
  memcpy(d, p, n);
  return d;
}

static void put (int64_t id, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
  size_t i;
  for (i = 0; i < nstore; i++)
    if (store[i].id == id && store[i].klen == kl && memcmp(store[i].key, k, kl) == 0)
      break;
  if (i == nstore) {
    FZ_ASSERT(nstore < sizeof store / sizeof store[0]);
    store[nstore].id = id;
    store[nstore].key = dup(k, kl);
    store[nstore].klen = kl;
    store[nstore].val = NULL;
    nstore++;
  }
  free(store[i].val);
  store[i].val = dup(v, vl);
  store[i].vlen = vl;
  if (vl == 1 && v[0] == CU_CBOR_NULL) { /* null deletes */
    free(store[i].key);
    free(store[i].val);
    store[i] = store[--nstore];
  }
}

/* Applies a delta [[id, key, value]...] (an array with an 8-byte count). */
static int commit (cu_State *from, const unsigned char *d, size_t len) {
  (void)from;
  const uint8_t *p = d + CU_CBOR_HEADMAX, *end = d + len;
  int ok;
  uint64_t n = tc_deltacount(d, len, &ok);
  FZ_ASSERT(ok);
  for (uint64_t i = 0; i < n; i++) {
    unsigned major;
    uint64_t three, id;
    const uint8_t *k, *v;
    FZ_ASSERT(tc_head(&p, end, &major, &three) && major == CU_CBOR_ARRAY && three == 3);
    FZ_ASSERT(tc_head(&p, end, &major, &id) && major == CU_CBOR_UINT);
    k = p;
    v = tc_skip(k, end, 0);
    p = tc_skip(v, end, 0);
    FZ_ASSERT(p != NULL);
    put((int64_t)id, k, (size_t)(v - k), v, (size_t)(p - v));
  }
  return 0;
}

/* Orders rows by id, then key bytes: commits list keys in 'next' order, which varies. */
static int rowcmp (const void *a, const void *b) {
  const Row *x = (const Row *)a, *y = (const Row *)b;
  size_t n = x->klen < y->klen ? x->klen : y->klen;
  int c;
  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  c = memcmp(x->key, y->key, n);
  return c != 0 ? c : (x->klen > y->klen) - (x->klen < y->klen);
}

/* The rows of table id as one map (2-byte count), keys in a fixed order. */
static size_t rowsof (int64_t id, uint8_t *b, size_t cap) {
  size_t n = 3, c = 0;
  qsort(store, nstore, sizeof store[0], rowcmp);
  for (size_t i = 0; i < nstore; i++) {
    if (store[i].id != id)
      continue;
    FZ_ASSERT(n + store[i].klen + store[i].vlen <= cap);
    memcpy(b + n, store[i].key, store[i].klen);
    memcpy(b + n + store[i].klen, store[i].val, store[i].vlen);
    n += store[i].klen + store[i].vlen;
    c++;
  }
  b[0] = CU_CBOR_IB(CU_CBOR_MAP, CU_CBOR_AI_2);
  b[1] = (uint8_t)(c >> 8);
  b[2] = (uint8_t)c;
  return n;
}

static int load (cu_State *from, int64_t id) {
  (void)from;
  static uint8_t b[1 << 16];
  size_t n = rowsof(id, b, sizeof b);
  return n == 3 ? 0 : (cu_upcall_reply(cur, b, n) == CU_OK ? 0 : 1);
}

/* Runs a script on a fresh store; writes its tables in id order as a rows seed. */
static void rowseed (int i) {
  static uint8_t seed[1 << 18];
  size_t n = 0;
  int64_t next;
  char name[32];
  uint8_t ids[1 + 9 * 64];
  size_t nids = 1;
  nstore = 0;
  cur = fz_state();
  cu_ext_setstore(cur, load, commit);
  cu_ext_setnextid(cur, 2);
  FZ_ASSERT(cu_ext_setroot(cur, "_home", 1) == CU_OK);
  FZ_ASSERT(fz_run(cur, scripts[i], 0) == CU_OK);
  next = cu_state_info(cur)->ext_nextid;
  cu_state_close(cur);
  for (int64_t id = 1; id < next && id <= 64; id++) {
    n += rowsof(id, seed + n, sizeof seed - n);
    if (id > 1 && nids < sizeof ids - 9) { /* the id as a CBOR unsigned */
      tc_put(ids, &nids, CU_CBOR_UINT, (uint64_t)id);
    }
  }
  snprintf(name, sizeof name, "script%02d", i);
  emit("rows", name, seed, n);
  ids[0] = CU_CBOR_IB(CU_CBOR_ARRAY, nids - 1 < 24 ? nids - 1 : 23);
  if (nids - 1 < 24)
    emit("detached", name, ids, nids);
  emit("chunk", name, (const uint8_t *)scripts[i], strlen(scripts[i]));
  while (nstore > 0) {
    nstore--;
    free(store[nstore].key);
    free(store[nstore].val);
  }
}

/* ------------------------------------------------------------- vectors */


int main (int argc, char **argv) {
  static uint8_t all[1 << 14];
  size_t nall = 3;
  int nv = 0;
  char line[512];
  FILE *f;
  if (argc != 3) {
    fprintf(stderr, "usage: fuzz_seeds VECTORS DIR\n");
    return 2;
  }
  snprintf(dir, sizeof dir, "%s", argv[2]);
  makedir(dir);
  f = fopen(argv[1], "r");
  if (f == NULL) {
    perror(argv[1]);
    return 2;
  }
  while (fgets(line, sizeof line, f)) {
    uint8_t b[260];
    size_t n;
    char name[32];
    if (line[0] == '#' || line[0] == '\n')
      continue;
    n = tc_unhex(line, b + 1, sizeof b - 1);
    snprintf(name, sizeof name, "vector%02d", ++nv);
    emit("decode", name, b + 1, n);
    emit("detached", name, b + 1, n);
    b[0] = CU_CBOR_IB(CU_CBOR_ARRAY, 1);
    emit("call", name, b, n + 1);
    FZ_ASSERT(nall + n <= sizeof all);
    memcpy(all + nall, b + 1, n);
    nall += n;
  }
  fclose(f);
  all[0] = CU_CBOR_IB(CU_CBOR_ARRAY, CU_CBOR_AI_2); /* every vector as one argument list */
  all[1] = (uint8_t)(nv >> 8);
  all[2] = (uint8_t)nv;
  emit("call", "vectors", all, nall);
  for (int i = 0; scripts[i] != NULL; i++) rowseed(i);
  printf("%d seed files in %s\n", nfiles, dir);
  return 0;
}
