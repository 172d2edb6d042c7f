# The fuzz targets: native/fuzz/fuzz_<target>.c, seeds in corpus/<target>/,
# crash regressions in regressions/<target>/. Shared by the fuzz build
# (native/fuzz/CMakeLists.txt) and the replay tests (native/test).
set(CU_FUZZ_TARGETS decode call rows detached chunk slots)
# The targets of Lua-level modules (json, bigint): each links the module and Lua's objects into a plain
# lua_State, not libcu, whose ABI is cu.h only; the harness defines luai_loopstep's function.
set(CU_FUZZ_LUA_TARGETS json bigint)
# A Lua-level target's sources besides native/src/cu_<target>.c.
set(CU_FUZZ_EXTRA_json "${CMAKE_CURRENT_LIST_DIR}/../src/cu_fmt.c"
    "${CMAKE_CURRENT_LIST_DIR}/../src/cu_jsondec.c" "${CMAKE_CURRENT_LIST_DIR}/../src/cu_stack.c")
set(CU_FUZZ_EXTRA_bigint "${CMAKE_CURRENT_LIST_DIR}/../src/cu_bigop.c"
    "${CMAKE_CURRENT_LIST_DIR}/../src/cu_bignum.c"
    "${CMAKE_CURRENT_LIST_DIR}/../src/cu_bigmont.c"
    "${CMAKE_CURRENT_LIST_DIR}/../src/cu_bigtext.c")
set(CU_FUZZ_DIR "${CMAKE_CURRENT_LIST_DIR}")
