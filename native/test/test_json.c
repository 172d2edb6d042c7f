/*
** test_json.c - the json module (cu_json.c) in a plain lua_State with
** Lua's base, string, table and math libraries: mapping rules, number
** forms, escapes, every class of bad input with its message, the depth
** limit, a stop raised through luai_loopstep, and allocation failures.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "cu_json.h"
#include "check.h"

/* luai_loopstep's function (cu_loopstep.h): counts steps, raises "stopped" at stop_at. */
static long steps, stop_at;

void cu_limits_loopstep (lua_State *L) {
  *(int *)lua_getextraspace(L) = 0; /* call back on every step */
  if (++steps == stop_at)
    luaL_error(L, "stopped");
}

/* An allocator that refuses to hold more than 'limit' bytes (0: no limit). */
typedef struct Mem {
  size_t used, limit;
} Mem;

static void *limited_alloc (void *ud, void *ptr, size_t osize, size_t nsize) {
  Mem *m = (Mem *)ud;
  size_t old = ptr != NULL ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    m->used -= old;
    return NULL;
  }
  if (m->limit > 0 && nsize > old && m->used + (nsize - old) > m->limit)
    return NULL;
  ptr = realloc(ptr, nsize);
  if (ptr != NULL)
    m->used += nsize - old;
  return ptr;
}

/* Helpers the Lua snippets use: deep equality and "this call fails with that message". */
static const char prelude[] =
  "function deq(a, b)\n"
  "  if type(a) ~= type(b) then return false end\n"
  "  if type(a) == 'number' then return math.type(a) == math.type(b) and a == b end\n"
  "  if type(a) ~= 'table' then return a == b end\n"
  "  for k, v in pairs(a) do if not deq(v, b[k]) then return false end end\n"
  "  for k in pairs(b) do if a[k] == nil then return false end end\n"
  "  return true\n"
  "end\n"
  "function fails(msg, f, ...)\n"
  "  local ok, err = pcall(f, ...)\n"
  "  if ok then error('no error, expected: ' .. msg, 2) end\n"
  "  if not string.find(err, msg, 1, true) then\n"
  "    error('error \"' .. tostring(err) .. '\", expected: ' .. msg, 2)\n"
  "  end\n"
  "  return true\n"
  "end\n";

static lua_State *new_state (Mem *m) {
  lua_State *L = lua_newstate(limited_alloc, m);
  if (L == NULL) {
    fprintf(stderr, "cannot create a state\n");
    exit(2);
  }
  *(int *)lua_getextraspace(L) = 0;
  luaL_requiref(L, "_G", luaopen_base, 1);
  luaL_requiref(L, "string", luaopen_string, 1);
  luaL_requiref(L, "table", luaopen_table, 1);
  luaL_requiref(L, "math", luaopen_math, 1);
  luaL_requiref(L, "coroutine", luaopen_coroutine, 1);
  luaL_requiref(L, "json", cu_json_open, 1);
  lua_settop(L, 0);
  if (luaL_dostring(L, prelude) != LUA_OK) {
    fprintf(stderr, "prelude: %s\n", lua_tostring(L, -1));
    exit(2);
  }
  return L;
}

/* Runs a snippet; a failure prints the snippet's error. Returns whether it ran. */
static int run (lua_State *L, const char *code) {
  if (luaL_dostring(L, code) == LUA_OK) {
    lua_settop(L, 0);
    return 1;
  }
  fprintf(stderr, "snippet failed: %s\n", lua_tostring(L, -1));
  lua_settop(L, 0);
  return 0;
}

/* Runs a snippet that must fail with a message containing 'msg'. */
static int run_fails (lua_State *L, const char *code, const char *msg) {
  int ok = luaL_dostring(L, code) != LUA_OK && strstr(lua_tostring(L, -1), msg) != NULL;
  if (!ok)
    fprintf(stderr, "expected \"%s\", got: %s\n", msg, lua_tostring(L, -1));
  lua_settop(L, 0);
  return ok;
}

static void test_mapping (lua_State *L) {
  /* nested values round trip */
  CHECK(run(L, "local v = {a = {1, 2, {b = 'x', c = {}}}, n = 1.5, i = -7, t = true, f = false,\n"
               "           s = 'h\\u{E9}', e = json.array({}), z = json.null}\n"
               "assert(deq(json.decode(json.encode(v)), v))"));
  /* scalars and the classification of tables */
  CHECK(run(L, "assert(json.encode(nil) == 'null' and json.encode(json.null) == 'null')\n"
               "assert(json.encode(true) == 'true' and json.encode(false) == 'false')\n"
               "assert(json.encode('x') == '\"x\"')\n"
               "assert(json.encode({}) == '{}')\n"
               "assert(json.encode({1, 2, 3}) == '[1,2,3]')\n"
               "assert(json.encode({a = 1}) == '{\"a\":1}')\n"
               "assert(json.encode({[1] = 'a', [2] = 'b'}) == '[\"a\",\"b\"]')"));
  /* json.array: returns its table; an empty marked table is [] */
  CHECK(run(L, "local t = {}\n"
               "assert(json.array(t) == t)\n"
               "assert(json.encode(t) == '[]')\n"
               "assert(json.encode({json.array({}), {}}) == '[[],{}]')\n"
               "t[1] = 'x'\nassert(json.encode(t) == '[\"x\"]')"));
  CHECK(run(L, "fails('json.encode: an array (json.array) has keys other than 1..n',\n"
               "      json.encode, json.array({1, x = 2}))"));
  CHECK(run(L, "fails('bad argument #1', json.array, 1)"));
  /* [] and {} keep their kind through decode */
  CHECK(run(L, "assert(json.encode(json.decode('[]')) == '[]')\n"
               "assert(json.encode(json.decode('{}')) == '{}')\n"
               "assert(json.encode(json.decode(' [ [ ] , { } ] ')) == '[[],{}]')\n"
               "local t = json.decode('[1]')\ntable.remove(t)\n"
               "assert(json.encode(t) == '[]')"));
  /* json.null keeps positions */
  CHECK(run(L, "local t = json.decode('[1,null,3]')\n"
               "assert(#t == 3 and t[1] == 1 and t[2] == json.null and t[3] == 3)\n"
               "assert(json.encode(t) == '[1,null,3]')\n"
               "assert(json.decode('null') == json.null)\n"
               "assert(json.decode('{\"a\":null}').a == json.null)\n"
               "assert(type(json.null) == 'userdata' and json.null ~= nil)"));
  /* integer keys outside 1..n: an object with stringified keys, as lua-cjson does */
  CHECK(run(L, "local t = json.decode(json.encode({1, nil, 3}))\n"
               "assert(t['1'] == 1 and t['3'] == 3 and t[1] == nil)\n"
               "t = json.decode(json.encode({10, x = 'y'}))\n"
               "assert(t['1'] == 10 and t.x == 'y')\n"
               "assert(json.encode({[-1] = true}) == '{\"-1\":true}')\n"
               "assert(json.encode({[0.5] = true}) == '{\"0.5\":true}')"));
  /* a mark does not keep its table alive */
  CHECK(run(L, "local probe = setmetatable({}, {__mode = 'v'})\n"
               "probe[1] = json.array({})\nprobe[2] = json.decode('[[1]]')\n"
               "collectgarbage()\ncollectgarbage()\n"
               "assert(probe[1] == nil and probe[2] == nil)"));
  /* duplicate keys: the last wins */
  CHECK(run(L, "assert(json.decode('{\"k\":1,\"k\":2}').k == 2)"));
  /* metatables are ignored: raw contents only */
  CHECK(run(L, "local t = setmetatable({}, {__index = function() return 1 end, __len = function()\n"
               "  return 5 end})\n"
               "assert(json.encode(t) == '{}')"));
  /* a table met twice, not in a cycle, is written twice */
  CHECK(run(L, "local s = {1}\nassert(json.encode({s, s}) == '[[1],[1]]')"));
}

/* The marks and json.null as C sees them (cu_json.h): the value converter's view. */
static void test_marks (lua_State *L) {
  lua_newtable(L);
  CHECK(!cu_json_marked(L, -1));
  cu_json_mark(L, -1);
  CHECK(cu_json_marked(L, -1));
  lua_setglobal(L, "marked");
  CHECK(run(L, "assert(json.encode(marked) == '[]')"));
  CHECK(run(L, "decoded, plain = json.decode('[]'), {}"));
  lua_getglobal(L, "decoded");
  CHECK(cu_json_marked(L, -1));
  lua_getglobal(L, "plain");
  CHECK(!cu_json_marked(L, -1));
  lua_pushinteger(L, 1);
  CHECK(!cu_json_marked(L, -1) && !cu_json_isnull(L, -1));
  lua_getglobal(L, "json");
  lua_getfield(L, -1, "null");
  CHECK(cu_json_isnull(L, -1));
  lua_pushlightuserdata(L, CU_JSON_NULL);
  CHECK(lua_rawequal(L, -1, -2));
  lua_settop(L, 0);
  CHECK(run(L, "marked, decoded, plain = nil, nil, nil"));
}

static void test_strings (lua_State *L) {
  CHECK(run(L, "assert(json.encode('a\"b\\\\c/\\n\\r\\t\\b\\f\\1\\31\\127') ==\n"
               "       '\"a\\\\\"b\\\\\\\\c/\\\\n\\\\r\\\\t\\\\b\\\\f\\\\u0001\\\\u001f\\127\"')"));
  CHECK(run(L, "assert(json.encode('\\0') == '\"\\\\u0000\"')\n"
               "assert(json.decode('\"\\\\u0000\"') == '\\0')"));
  CHECK(run(L, "assert(json.encode('caf\\u{E9} \\u{1F600}') == '\"caf\\u{E9} \\u{1F600}\"')"));
  CHECK(run(L,
            "assert(json.decode([[\"\\u00e9\\u00C9\"]]) == '\\u{E9}\\u{C9}')\n"
            "assert(json.decode([[\"\\ud83d\\ude00\"]]) == '\\u{1F600}')\n"
            "assert(json.decode([[\"\\uffff\\u0800\\u07ff\"]]) == '\\u{FFFF}\\u{800}\\u{7FF}')\n"
            "assert(json.decode([[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]]) == '\"\\\\/\\b\\f\\n\\r\\t')\n"
            "assert(json.decode('\"\\u{10FFFF}\"') == '\\u{10FFFF}')"));
  /* every string round trips, with and without escapes */
  CHECK(run(L, "for _, s in ipairs({'', 'plain', 'a\\nb', '\\u{7FF}\\u{800}\\u{FFFF}\\u{10000}',\n"
               "                     string.rep('x\\1', 1000)}) do\n"
               "  assert(json.decode(json.encode(s)) == s)\n"
               "end"));
}

static void test_numbers (lua_State *L) {
  CHECK(run(L, "assert(json.encode(1) == '1' and json.encode(-7) == '-7')\n"
               "assert(json.encode(math.maxinteger) == '9223372036854775807')\n"
               "assert(json.encode(math.mininteger) == '-9223372036854775808')\n"
               "assert(json.encode(1.0) == '1.0' and json.encode(-0.0) == '-0.0')\n"
               "assert(json.encode(0.1) == '0.1' and json.encode(1.5) == '1.5')\n"
               "assert(json.encode(1e300) == '1e+300' and json.encode(-2.5e-300) == '-2.5e-300')\n"
               "assert(json.encode(2^53) == '9007199254740992.0')\n"
               "assert(json.encode(2^63) == '9.223372036854776e+18')"));
  /* floats round trip exactly, subtype included */
  CHECK(run(L, "for _, x in ipairs({1/3, 0.1, 2^-1074, 1.7976931348623157e308, -0.0, 123.0,\n"
               "                     math.pi, 1e21, 5e-324}) do\n"
               "  local y = json.decode(json.encode(x))\n"
               "  assert(math.type(y) == 'float' and y == x and 1/y == 1/x, tostring(x))\n"
               "end"));
  CHECK(run(L, "local function is(s, v, t)\n"
               "  local x = json.decode(s)\n"
               "  assert(x == v and math.type(x) == t, s)\n"
               "end\n"
               "is('0', 0, 'integer') is('-12', -12, 'integer') is('1.0', 1.0, 'float')\n"
               "is('1E2', 100.0, 'float') is('1e-2', 0.01, 'float') is('2.5e+3', 2500.0, 'float')\n"
               "is('9223372036854775807', math.maxinteger, 'integer')\n"
               "is('-9223372036854775808', math.mininteger, 'integer')\n"
               "is('9223372036854775808', 2^63, 'float')\n"
               "is('-9223372036854775809', -2^63, 'float')\n"
               "is('123456789012345678901234567890', 1.2345678901234568e29, 'float')\n"
               "is('1e300', 1e300, 'float')\n"
               "local z = json.decode('-0')\n"
               "assert(math.type(z) == 'float' and 1/z < 0)"));
  CHECK(run(L, "fails('json.encode: cannot encode NaN', json.encode, 0/0)\n"
               "fails('json.encode: cannot encode an infinite number', json.encode, math.huge)\n"
               "fails('json.encode: cannot encode an infinite number', json.encode, {-math.huge})\n"
               "fails('json.encode: cannot encode an infinite number', json.encode,\n"
               "      {[math.huge] = 1})\n"
               "fails('json.decode: number out of range at position 2', json.decode, '[1e400]')"));
}

/* Each class of bad input fails with its message and position. */
static void test_errors (lua_State *L) {
  CHECK(run(L, "local function bad(s, msg) fails('json.decode: ' .. msg, json.decode, s) end\n"
               "bad('', 'unexpected end of input at position 1')\n"
               "bad('   ', 'unexpected end of input at position 4')\n"
               "bad('[1,2', 'unexpected end of input at position 5')\n"
               "bad('{\"a\":', 'unexpected end of input at position 6')\n"
               "bad('\"abc', 'unterminated string at position 5')\n"
               "bad('\"ab\\\\', 'unterminated string at position 4')\n"
               "bad('tru', 'unexpected character at position 1')\n"
               "bad('nul', 'unexpected character at position 1')\n"
               "bad('[1,]', 'unexpected character at position 4')\n"
               "bad('{\"a\":1,}', 'unexpected character at position 8')\n"
               "bad('{a:1}', 'unexpected character at position 2')\n"
               "bad('{\"a\" 1}', 'unexpected character at position 6')\n"
               "bad('[1 2]', 'unexpected character at position 4')\n"
               "bad(\"'a'\", 'unexpected character at position 1')\n"
               "bad('[1] x', 'unexpected character after the value at position 5')\n"
               "bad('1 2', 'unexpected character after the value at position 3')\n"
               "bad('{}}', 'unexpected character after the value at position 3')\n"
               "bad('01', 'unexpected character after the value at position 2')\n"
               "bad('+1', 'unexpected character at position 1')\n"
               "bad('.5', 'unexpected character at position 1')\n"
               "bad('-', 'bad number at position 2')\n"
               "bad('1.', 'bad number at position 3')\n"
               "bad('1.e5', 'bad number at position 3')\n"
               "bad('1e', 'bad number at position 3')\n"
               "bad('1e+', 'bad number at position 4')\n"
               "bad('NaN', 'unexpected character at position 1')\n"
               "bad('[Infinity]', 'unexpected character at position 2')\n"
               "bad('\"a\\\\x\"', 'bad escape at position 3')\n"
               "bad('\"\\\\u12zz\"', 'bad \\\\u escape at position 2')\n"
               "bad('\"\\\\u12', 'truncated \\\\u escape at position 2')\n"
               "bad('\"\\\\ud800\"', 'lone surrogate in \\\\u escape at position 2')\n"
               "bad('\"\\\\udc00\"', 'lone surrogate in \\\\u escape at position 2')\n"
               "bad('\"x\\\\ud800\\\\u0041\"', 'lone surrogate in \\\\u escape at position 3')\n"
               "bad('\"\\\\ud800\\\\ud800\"', 'lone surrogate in \\\\u escape at position 2')\n"
               "bad('\"a\\tb\"', 'control character in string at position 3')\n"
               "bad('\"\\255\"', 'invalid UTF-8 at position 2')\n"
               "bad('\"\\xC0\\x80\"', 'invalid UTF-8 at position 2')\n"
               "bad('\"\\xED\\xA0\\x80\"', 'invalid UTF-8 at position 2')\n"
               "bad('\"\\xF4\\x90\\x80\\x80\"', 'invalid UTF-8 at position 2')\n"
               "bad('\"\\xE2\\x82\"', 'invalid UTF-8 at position 2')\n"
               "bad('[\"ok\", \"\\xFF\"]', 'invalid UTF-8 at position 9')"));
  CHECK(run(L, "fails('bad argument #1', json.decode, 5)\n"
               "fails('bad argument #1', json.decode)\n"
               "fails('bad argument #1', json.encode)"));
  CHECK(run(L, "fails('json.encode: a string is not valid UTF-8 (byte 2)', json.encode, 'a\\255')\n"
               "fails('json.encode: a key is not valid UTF-8 (byte 1)', json.encode,\n"
               "      {['\\xED\\xA0\\x80'] = 1})\n"
               "fails('json.encode: cannot encode a value of type function', json.encode, print)\n"
               "fails('json.encode: cannot encode a value of type function', json.encode,\n"
               "      {f = print})\n"
               "fails('json.encode: cannot encode a value of type thread', json.encode,\n"
               "      {coroutine.create(print)})\n"));
  CHECK(run(L, "fails('json.encode: cannot encode a table key of type boolean', json.encode,\n"
               "      {[true] = 1})\n"
               "fails('json.encode: cannot encode a table key of type table', json.encode,\n"
               "      {[{}] = 1})"));
  /* cycles, direct and through other tables */
  CHECK(run(L, "local t = {}\nt.self = t\n"
               "fails('json.encode: table contains a cycle', json.encode, t)\n"
               "local a, b = {}, {}\na[1] = b\nb.x = {a}\n"
               "fails('json.encode: table contains a cycle', json.encode, a)"));
}

static void test_depth (lua_State *L) {
  char code[512];
  snprintf(code, sizeof code,
           "local function nest(n) local t = {} for _ = 2, n do t = {t} end return t end\n"
           "assert(json.encode(nest(%d)) == string.rep('[', %d - 1) .. '{}' ..\n"
           "       string.rep(']', %d - 1))\n"
           "fails('json.encode: table nested too deeply', json.encode, nest(%d + 1))\n"
           "local s = string.rep('[', %d) .. string.rep(']', %d)\n"
           "assert(json.encode(json.decode(s)) == s)\n"
           "fails('json.decode: nesting too deep at position %d',\n"
           "      json.decode, '[' .. s .. ']')",
           CU_JSON_MAXDEPTH, CU_JSON_MAXDEPTH, CU_JSON_MAXDEPTH, CU_JSON_MAXDEPTH, CU_JSON_MAXDEPTH,
           CU_JSON_MAXDEPTH, CU_JSON_MAXDEPTH + 1);
  CHECK(run(L, code));
  /* hostile inputs a million levels deep fail at the limit, without a crash */
  snprintf(code, sizeof code,
           "fails('json.decode: nesting too deep at position %d', json.decode,\n"
           "      string.rep('[', 1000000))\n"
           "fails('json.decode: nesting too deep', json.decode,\n"
           "      string.rep('{\"a\":', 1000000))",
           CU_JSON_MAXDEPTH + 1);
  CHECK(run(L, code));
}

/* Encoding and decoding call luai_loopstep, so a time limit stops them. */
static void test_stop (lua_State *L) {
  CHECK(run(L, "big = {} for i = 1, 100000 do big[i] = {i} end\n"
               "text = json.encode(big)"));
  steps = 0;
  stop_at = 50000;
  CHECK(run_fails(L, "json.encode(big)", "stopped"));
  steps = 0;
  CHECK(run_fails(L, "json.decode(text)", "stopped"));
  steps = 0;
  CHECK(run_fails(L,
                  "local t = {} for i = 1, 100000 do t['k' .. i] = i end\n"
                  "stop_at_reached = json.encode(t)",
                  "stopped"));
  stop_at = 0;
  CHECK(run(L, "assert(#json.decode(text) == 100000)"));
}

/*
** Every allocation may fail: under each limit from the state's size
** upwards, encode and decode either finish or fail with a memory error.
*/
static void test_memory (void) {
  int okruns = 0, memerrs = 0, others = 0;
  size_t extra;
  for (extra = 0; extra < 4 * 1024 * 1024 && okruns < 3; extra += 97 + extra / 32) {
    Mem m = {0, 0};
    lua_State *L = new_state(&m);
    CHECK(run(
      L, "v = {} for i = 1, 200 do v[i] = {n = i * 0.5, s = 'x\\n' .. i, a = json.array({})} end\n"
         "text = json.encode(v)"));
    lua_gc(L, LUA_GCCOLLECT);
    m.limit = m.used + extra;
    if (luaL_dostring(L, "local t = json.decode(text)\nassert(json.encode(t) ~= nil)") == LUA_OK)
      okruns++;
    else if (strcmp(lua_tostring(L, -1), "not enough memory") == 0)
      memerrs++;
    else {
      fprintf(stderr, "under a memory limit: %s\n", lua_tostring(L, -1));
      others++;
    }
    m.limit = 0;
    lua_close(L);
    CHECK(m.used == 0);
  }
  CHECK(memerrs > 10);
  CHECK(okruns > 0);
  CHECK(others == 0);
}

int main (void) {
  Mem m = {0, 0};
  lua_State *L = new_state(&m);
  test_mapping(L);
  test_marks(L);
  test_strings(L);
  test_numbers(L);
  test_errors(L);
  test_depth(L);
  test_stop(L);
  lua_close(L);
  CHECK(m.used == 0);
  test_memory();
  return cut_done();
}
