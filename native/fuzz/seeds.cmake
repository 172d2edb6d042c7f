# cmake -DSEEDS=fuzz_seeds -DVECTORS=values.txt -DOUT=dir -DCORPUS=native/fuzz/corpus -P seeds.cmake
# Generates the seed corpus into OUT and fails unless CORPUS has the same
# files with the same bytes. The rows seeds are compared by name only: the
# ids a commit gives to new tables and functions follow the order of 'next',
# which varies with Lua's per-state string hash seed. The json, bigint and
# slots seeds are not generated and not compared.
# To update the committed corpus: fuzz_seeds VECTORS native/fuzz/corpus
file(REMOVE_RECURSE "${OUT}")
execute_process(COMMAND "${SEEDS}" "${VECTORS}" "${OUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz_seeds failed: ${rc}")
endif()
file(GLOB_RECURSE made RELATIVE "${OUT}" "${OUT}/*")
file(GLOB_RECURSE kept RELATIVE "${CORPUS}" "${CORPUS}/*")
# The json seeds (JSON texts), the bigint seeds (a base byte and a number's text) and the slots
# seeds (cu_Slots blocks) are written by hand, not made from the vectors.
list(FILTER kept EXCLUDE REGEX "^(json|bigint|slots)/")
list(SORT made)
list(SORT kept)
if(NOT made STREQUAL kept)
  message(FATAL_ERROR "the seed corpus in ${CORPUS} is not what fuzz_seeds makes; "
                      "regenerate it: fuzz_seeds ${VECTORS} ${CORPUS}")
endif()
foreach(f IN LISTS made)
  if(f MATCHES "^rows/")
    continue()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${OUT}/${f}" "${CORPUS}/${f}"
                  RESULT_VARIABLE diff)
  if(NOT diff EQUAL 0)
    message(FATAL_ERROR "seed ${f} differs from what fuzz_seeds makes; "
                        "regenerate it: fuzz_seeds ${VECTORS} ${CORPUS}")
  endif()
endforeach()
list(LENGTH made n)
message(STATUS "1 passed, 0 failed (${n} seed files current)")
