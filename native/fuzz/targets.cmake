# The fuzz targets: native/fuzz/fuzz_<target>.c, seeds in corpus/<target>/,
# crash regressions in regressions/<target>/. Shared by the fuzz build
# (native/fuzz/CMakeLists.txt) and the replay tests (native/test).
set(CU_FUZZ_TARGETS decode call rows detached chunk slots)
# The targets of Lua-level modules (json): each links the module and Lua's objects into a plain
# lua_State, not libcu, whose ABI is cu.h only; the harness defines luai_loopstep's function.
set(CU_FUZZ_LUA_TARGETS json)
set(CU_FUZZ_DIR "${CMAKE_CURRENT_LIST_DIR}")
