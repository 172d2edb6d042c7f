# stage.cmake - copies the built library into DEST (the folder
# dev/cu/native/<platform>/ of a classifier jar) next to
# cu-native.properties, which the Java loader reads: the platform, the
# library's file name, its SHA-256 (verified after extraction) and the
# artifact version (names the cache folder).
# Usage: cmake -DLIB=<file> -DDEST=<dir> -DPLATFORM=<p> -DVERSION=<v> -P stage.cmake
foreach(v LIB DEST PLATFORM VERSION)
  if(NOT ${v})
    message(FATAL_ERROR "stage.cmake: -D${v}= is required")
  endif()
endforeach()
get_filename_component(name "${LIB}" NAME)
file(SHA256 "${LIB}" sum)
file(MAKE_DIRECTORY "${DEST}")
file(COPY_FILE "${LIB}" "${DEST}/${name}" ONLY_IF_DIFFERENT)
file(WRITE "${DEST}/cu-native.properties.tmp"
     "# libcu for ${PLATFORM}, written by native/cmake/stage.cmake\n"
     "platform=${PLATFORM}\nfile=${name}\nsha256=${sum}\nversion=${VERSION}\n")
file(RENAME "${DEST}/cu-native.properties.tmp" "${DEST}/cu-native.properties")
