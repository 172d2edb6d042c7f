# The fuzz targets: native/fuzz/fuzz_<target>.c, seeds in corpus/<target>/,
# crash regressions in regressions/<target>/. Shared by the fuzz build
# (native/fuzz/CMakeLists.txt) and the replay tests (native/test).
set(CU_FUZZ_TARGETS decode call rows detached chunk)
set(CU_FUZZ_DIR "${CMAKE_CURRENT_LIST_DIR}")
