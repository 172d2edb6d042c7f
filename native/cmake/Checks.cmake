# Checks.cmake - CTest tests of the shim's sources themselves, for the host build only (the
# cross and sanitizer builds compile the same sources): its layering.
#
#   layers      native/cmake/LayerCheck.cmake: every dependency between the shim's modules
#               (include lines, and symbols through nm over libcu's objects) runs down the
#               layers of native/src/LAYERS. Skipped, saying so, while that file is absent.
#   layercheck  native/cmake/LayerCheckTest.cmake: LayerCheck.cmake itself, on a scratch tree.
if(CMAKE_NM)
  add_test(NAME layers
           COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_CURRENT_SOURCE_DIR}/native/src
                   -DNM=${CMAKE_NM} "-DOBJECTS=$<JOIN:$<TARGET_OBJECTS:cu>,|>"
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/LayerCheck.cmake)
  set_tests_properties(layers PROPERTIES SKIP_REGULAR_EXPRESSION "cu-layers: skipped")
  add_test(NAME layercheck
           COMMAND ${CMAKE_COMMAND} -DCC=${CMAKE_C_COMPILER} -DNM=${CMAKE_NM}
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/layercheck
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/native/cmake/LayerCheckTest.cmake)
endif()
