# Checks.cmake - CTest tests of the shim's sources themselves, for the host build only (the
# cross and sanitizer builds compile the same sources): its layering and its formatting.
#
#   layers      native/cmake/LayerCheck.cmake: every dependency between the shim's modules
#               (include lines, and symbols through nm over libcu's objects) runs down the
#               layers of native/src/LAYERS. Skipped, saying so, while that file is absent.
#   layercheck  native/cmake/LayerCheckTest.cmake: LayerCheck.cmake itself, on a scratch tree.
#   format      native/cmake/FormatCheck.cmake: native/{src,include,test,fuzz,bench} are formatted
#               as .clang-format says, by clang-format-14. Off with -DCU_FORMAT_CHECK=OFF.
option(CU_FORMAT_CHECK "Test that the shim's C sources are formatted (needs clang-format-14)" ON)

if(CMAKE_NM)
  add_test(NAME layers
           COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_CURRENT_SOURCE_DIR}/native/src
                   -DNM=${CMAKE_NM} "-DOBJECTS=$<JOIN:$<TARGET_OBJECTS:cu>,|>"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/LayerCheck.cmake)
  set_tests_properties(layers PROPERTIES SKIP_REGULAR_EXPRESSION "cu-layers: skipped")
  if(NOT EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/native/src/LAYERS")
    message(STATUS "cu: the test 'layers' skips: native/src/LAYERS is absent")
  endif()
  add_test(NAME layercheck
           COMMAND ${CMAKE_COMMAND} -DCC=${CMAKE_C_COMPILER} -DNM=${CMAKE_NM}
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/layercheck
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/LayerCheckTest.cmake)
endif()

if(CU_FORMAT_CHECK)
  find_program(CU_CLANG_FORMAT NAMES clang-format-14)
  add_test(NAME format
           COMMAND ${CMAKE_COMMAND} -DCLANG_FORMAT=${CU_CLANG_FORMAT}
                   -DROOT=${CMAKE_CURRENT_SOURCE_DIR}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/FormatCheck.cmake)
endif()
