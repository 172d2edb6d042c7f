# LayerCheckTest.cmake - tests LayerCheck.cmake on a scratch tree of five small modules: it
# passes on a layered tree with one permitted cycle, and fails, naming the edge, on an upward
# symbol, an upward include, a same-layer dependency outside a permitted pair and a module in
# no layer; without LAYERS it skips.
# Usage: cmake -DCC=<C compiler> -DNM=<nm> -DWORK=<scratch dir> -P LayerCheckTest.cmake
cmake_minimum_required(VERSION 3.20)
foreach(v CC NM WORK)
  if(NOT ${v})
    message(FATAL_ERROR "LayerCheckTest.cmake: -D${v}= is required")
  endif()
endforeach()
set(check "${CMAKE_CURRENT_LIST_DIR}/LayerCheck.cmake")
set(src "${WORK}/native/src")
set(obj "${WORK}/obj/native/src")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${src}" "${obj}")

# cu_core <- cu_value <- {cu_ext <-> cu_persist} <- cu_run
string(CONCAT layers "# scratch\ncu_core\ncu_value\ncu_ext cu_persist  # the pair\n"
              "cycle cu_ext cu_persist\ncu_run\n")
set(names cu_core.h cu_core.c cu_value.h cu_value.c cu_ext.h cu_ext.c cu_persist.h cu_persist.c
    cu_run.c)
set(f_cu_core.h "int cu_getstate (void);\n")
set(f_cu_core.c "#include \"cu_core.h\"\nint cu_getstate (void) { return 1; }\n")
set(f_cu_value.h "int cu_value_decode (void);\n")
string(CONCAT f_cu_value.c "#include \"cu_core.h\"\n#include \"cu_value.h\"\n"
              "int cu_value_decode (void) { return cu_getstate(); }\n")
set(f_cu_ext.h "int cu_ext_push (int n);\n")
string(CONCAT f_cu_ext.c "#include \"cu_value.h\"\n#include \"cu_persist.h\"\n"
              "#include \"cu_ext.h\"\n"
              "int cu_ext_push (int n) {\n"
              "  return n ? cu_persist_push(n - 1) : cu_value_decode();\n}\n")
set(f_cu_persist.h "int cu_persist_push (int n);\n")
string(CONCAT f_cu_persist.c "#include \"cu_ext.h\"\n#include \"cu_persist.h\"\n"
              "int cu_persist_push (int n) { return cu_ext_push(n); }\n")
string(CONCAT f_cu_run.c "#include <stdio.h>\n#include \"cu_ext.h\"\n"
              "int cu_run (void) { return cu_ext_push(2); }\n")
set(saved_cu_value.c "${f_cu_value.c}")
set(saved_cu_core.h "${f_cu_core.h}")

function(write_tree)
  file(GLOB old "${src}/*" "${obj}/*")
  if(old)
    file(REMOVE ${old})
  endif()
  foreach(name IN LISTS names)
    file(WRITE "${src}/${name}" "${f_${name}}")
  endforeach()
endfunction()

# Compiles the tree, runs the check, and asserts its result and that its output holds each
# of the given regular expressions.
set(failures 0)
function(expect what want)
  file(GLOB cs "${src}/*.c")
  set(objects "")
  foreach(c IN LISTS cs)
    get_filename_component(n "${c}" NAME)
    execute_process(COMMAND "${CC}" -c -o "${obj}/${n}.o" "${c}" RESULT_VARIABLE rc
                    ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "cannot compile ${c}: ${err}")
    endif()
    list(APPEND objects "${obj}/${n}.o")
  endforeach()
  list(APPEND objects "${WORK}/obj/lua/lapi.c.o")  # not the shim's: ignored
  list(JOIN objects "|" objects)
  execute_process(COMMAND "${CMAKE_COMMAND}" "-DSRC=${src}" "-DNM=${NM}" "-DOBJECTS=${objects}"
                  -P "${check}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  set(ok TRUE)
  if(want STREQUAL "pass" AND NOT rc EQUAL 0)
    set(ok FALSE)
  elseif(want STREQUAL "fail" AND rc EQUAL 0)
    set(ok FALSE)
  endif()
  foreach(re IN LISTS ARGN)
    if(NOT out MATCHES "${re}")
      message("  missing in the output: ${re}")
      set(ok FALSE)
    endif()
  endforeach()
  if(ok)
    message("ok: ${what}")
  else()
    message("FAILED: ${what} (wanted ${want}, exit ${rc}); the check said:\n${out}")
    math(EXPR n "${failures} + 1")
    set(failures ${n} PARENT_SCOPE)
  endif()
endfunction()

write_tree()
expect("no LAYERS: skipped" pass "cu-layers: skipped")

file(WRITE "${src}/LAYERS" "${layers}")
expect("a layered tree with one permitted cycle passes" pass
       "5 modules in 4 layers" "cycle \\(strongly connected, 2 modules\\): cu_ext cu_persist"
       "every dependency runs down")

# a lower module calls an upper one (no include: the symbol graph sees it)
string(CONCAT f_cu_value.c "#include \"cu_core.h\"\n#include \"cu_value.h\"\n"
              "int cu_ext_push (int);\nint cu_value_decode (void) { return cu_ext_push(0); }\n")
write_tree()
file(WRITE "${src}/LAYERS" "${layers}")
expect("an upward call fails" fail
       "ERROR: cu_value -> cu_ext \\(layer 2 depends on layer 3 above it\\)"
       "cu_value.c uses cu_ext_push \\(cu_ext.c\\)"
       "cycle \\(strongly connected, 3 modules\\): cu_ext cu_persist cu_value")

# an upward include alone
set(f_cu_value.c "${saved_cu_value.c}")
set(f_cu_core.h "#include \"cu_value.h\"\n${saved_cu_core.h}")
write_tree()
file(WRITE "${src}/LAYERS" "${layers}")
expect("an upward include fails" fail
       "ERROR: cu_core -> cu_value \\(layer 1 depends on layer 2 above it\\)"
       "cu_core.h includes \"cu_value.h\"")
set(f_cu_core.h "${saved_cu_core.h}")
write_tree()

# the pair without its 'cycle' line
string(REPLACE "cycle cu_ext cu_persist\n" "" nocycle "${layers}")
file(WRITE "${src}/LAYERS" "${nocycle}")
expect("a same-layer dependency outside a permitted pair fails" fail
       "ERROR: cu_ext -> cu_persist \\(both in layer 3, not a permitted cycle\\)"
       "ERROR: cu_persist -> cu_ext \\(both in layer 3, not a permitted cycle\\)"
       "cu_persist.c uses cu_ext_push \\(cu_ext.c\\)" "cu_ext.c includes \"cu_persist.h\"")

# a cycle line across layers, a module in no layer, a name without files
file(WRITE "${src}/LAYERS" "${layers}cycle cu_value cu_run\ncu_gone\n")
file(WRITE "${src}/cu_new.c" "int cu_new (void) { return 0; }\n")
expect("LAYERS must describe the tree" fail
       "the cycle cu_value cu_run joins two layers"
       "native/src/cu_new.c belongs to no layer"
       "LAYERS names cu_gone, but native/src has no cu_gone.c or cu_gone.h")

file(REMOVE_RECURSE "${WORK}")
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} case(s) of LayerCheck.cmake failed")
endif()
message("LayerCheck.cmake: every case behaves")
