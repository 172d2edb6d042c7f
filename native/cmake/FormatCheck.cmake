# FormatCheck.cmake - checks that the shim's C sources are formatted as .clang-format says:
# native/src, native/include, native/test, native/fuzz and native/bench (*.c, *.h), never Lua's
# sources.
# Each file is run through 'clang-format --dry-run --Werror'; the check names every file that
# differs, with the first place where it does, and the command that formats them.
# Usage: cmake -DCLANG_FORMAT=<clang-format-14> -DROOT=<repository root> -P FormatCheck.cmake
cmake_minimum_required(VERSION 3.20)
if(NOT ROOT)
  message(FATAL_ERROR "FormatCheck.cmake: -DROOT=<repository root> is required")
endif()
if(NOT CLANG_FORMAT OR NOT EXISTS "${CLANG_FORMAT}")
  message(FATAL_ERROR
    "cu-format: clang-format-14 not found. Install it (Debian: apt-get install clang-format-14) "
    "or configure with -DCU_FORMAT_CHECK=OFF (Maven: -Dcu.format.check=OFF).")
endif()
execute_process(COMMAND "${CLANG_FORMAT}" --version OUTPUT_VARIABLE version)
if(NOT version MATCHES "version 14\\.")
  # another major version formats differently: the check would not be the one CI runs
  message(FATAL_ERROR "cu-format: ${CLANG_FORMAT} is not clang-format 14: ${version}")
endif()

file(GLOB files RELATIVE "${ROOT}"
     "${ROOT}/native/src/*.c" "${ROOT}/native/src/*.h" "${ROOT}/native/include/*.h"
     "${ROOT}/native/test/*.c" "${ROOT}/native/test/*.h"
     "${ROOT}/native/fuzz/*.c" "${ROOT}/native/fuzz/*.h" "${ROOT}/native/bench/*.c")
list(SORT files)
list(LENGTH files total)
if(total EQUAL 0)
  message(FATAL_ERROR "cu-format: no C sources under ${ROOT}/native")
endif()

set(bad "")
foreach(f IN LISTS files)
  execute_process(COMMAND "${CLANG_FORMAT}" --dry-run --Werror "--style=file" "${f}"
                  WORKING_DIRECTORY "${ROOT}" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    # err holds one "<file>:<line>:<col>: error: code should be clang-formatted" per place
    string(REGEX MATCHALL "[^\n]*: error: [^\n]*" places "${err}")
    list(LENGTH places n)
    if(n GREATER 0)
      list(GET places 0 first)
      string(REGEX REPLACE ": error: .*" "" first "${first}")
      message("cu-format: ${f}: ${n} place(s) differ from .clang-format, first at ${first}")
    else()
      message("cu-format: ${f}: clang-format failed: ${err}")
    endif()
    list(APPEND bad "${f}")
  endif()
endforeach()

list(LENGTH bad nbad)
if(nbad GREATER 0)
  list(JOIN bad " " badlist)
  message(FATAL_ERROR "cu-format: ${nbad} of ${total} files are not formatted. Format them with\n"
                      "  (cd ${ROOT} && ${CLANG_FORMAT} -i ${badlist})")
endif()
message(STATUS "cu-format: ${total} files formatted as .clang-format says")
