# LuaSource.cmake - provides LUA_SRC, the verified Lua 5.4.7 'src' folder.
#
# Sources are a pinned build input, never committed. They come from, in
# this order: -DLUA_SOURCE_DIR (a lua-5.4.7 tree), -DLUA_SOURCE_ARCHIVE
# (lua-5.4.7.tar.gz), the user cache (CU_CACHE_DIR, else
# $XDG_CACHE_HOME/cu, else ~/.cache/cu), the official lua.org URL, and
# Debian's source package lua5.4 5.4.7-1 whose orig tarball is the same
# file. Every path is verified; a mismatch stops the build.

set(CU_LUA_VERSION 5.4.7)
set(CU_LUA_SHA256 9fbf5e28ef86c69858f6d3d34eccc32e911c1a28b4120ff3e84aaa70cfbf1e30)
set(CU_LUA_URL https://www.lua.org/ftp/lua-${CU_LUA_VERSION}.tar.gz)
set(CU_LUA_MANIFEST ${CMAKE_CURRENT_LIST_DIR}/lua-${CU_LUA_VERSION}-src.sha256)

set(LUA_SOURCE_DIR "" CACHE PATH "An unpacked lua-5.4.7 tree to build from")
set(LUA_SOURCE_ARCHIVE "" CACHE FILEPATH "lua-5.4.7.tar.gz to build from")

function(cu_archive_ok file result)
  set(${result} FALSE PARENT_SCOPE)
  if(EXISTS "${file}")
    file(SHA256 "${file}" sum)
    if(sum STREQUAL CU_LUA_SHA256)
      set(${result} TRUE PARENT_SCOPE)
    endif()
  endif()
endfunction()

function(cu_require_archive file what)
  cu_archive_ok("${file}" ok)
  if(NOT ok)
    file(SHA256 "${file}" sum)
    message(FATAL_ERROR "Lua sources from ${what}: ${file} has SHA-256 ${sum}, "
                        "expected ${CU_LUA_SHA256} (lua-${CU_LUA_VERSION}.tar.gz). "
                        "Refusing to build from unverified sources.")
  endif()
endfunction()

# Checks every file of an unpacked 'src' folder against the manifest.
function(cu_require_tree src)
  file(STRINGS "${CU_LUA_MANIFEST}" lines)
  foreach(line IN LISTS lines)
    string(REGEX MATCH "^([0-9a-f]+)  (.+)$" _ "${line}")
    set(want "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_2}")
    if(NOT EXISTS "${src}/${name}")
      message(FATAL_ERROR "LUA_SOURCE_DIR: ${src}/${name} is missing; not a lua-${CU_LUA_VERSION} tree.")
    endif()
    file(SHA256 "${src}/${name}" got)
    if(NOT got STREQUAL want)
      message(FATAL_ERROR "LUA_SOURCE_DIR: ${src}/${name} has SHA-256 ${got}, expected ${want}. "
                          "Refusing to build from modified sources.")
    endif()
  endforeach()
endfunction()

if(DEFINED ENV{CU_CACHE_DIR})
  set(_cache "$ENV{CU_CACHE_DIR}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(_cache "$ENV{XDG_CACHE_HOME}/cu")
else()
  set(_cache "$ENV{HOME}/.cache/cu")
endif()
set(_cached "${_cache}/lua-${CU_LUA_VERSION}.tar.gz")
set(_unpacked "${CMAKE_BINARY_DIR}/lua-src")

if(LUA_SOURCE_DIR)
  cu_require_tree("${LUA_SOURCE_DIR}/src")
  set(LUA_SRC "${LUA_SOURCE_DIR}/src")
else()
  if(LUA_SOURCE_ARCHIVE)
    cu_require_archive("${LUA_SOURCE_ARCHIVE}" "LUA_SOURCE_ARCHIVE")
    set(_archive "${LUA_SOURCE_ARCHIVE}")
  else()
    cu_archive_ok("${_cached}" _ok)
    if(_ok)
      set(_archive "${_cached}")
      message(STATUS "Lua sources: ${_cached} (cache, verified)")
    else()
      file(REMOVE "${_cached}")
      set(_dl "${CMAKE_BINARY_DIR}/lua-download/lua-${CU_LUA_VERSION}.tar.gz")
      message(STATUS "Lua sources: trying ${CU_LUA_URL}")
      file(DOWNLOAD "${CU_LUA_URL}" "${_dl}" TIMEOUT 60 INACTIVITY_TIMEOUT 15
           STATUS _st)
      list(GET _st 0 _code)
      cu_archive_ok("${_dl}" _ok)
      if(NOT _code EQUAL 0 OR NOT _ok)
        message(STATUS "Lua sources: lua.org unavailable (${_st}); trying Debian's lua5.4 5.4.7-1 source package")
        set(_deb "${CMAKE_BINARY_DIR}/lua-debian")
        file(REMOVE_RECURSE "${_deb}")
        execute_process(COMMAND sh "${CMAKE_CURRENT_LIST_DIR}/fetch-lua-debian.sh" "${_deb}"
                        RESULT_VARIABLE _rc)
        if(NOT _rc EQUAL 0)
          message(FATAL_ERROR "Could not obtain lua-${CU_LUA_VERSION}.tar.gz: lua.org is unreachable "
                              "and the Debian source package could not be fetched. "
                              "Pass -DLUA_SOURCE_ARCHIVE=/path/to/lua-${CU_LUA_VERSION}.tar.gz.")
        endif()
        set(_dl "${_deb}/lua5.4_${CU_LUA_VERSION}.orig.tar.gz")
        cu_require_archive("${_dl}" "Debian's lua5.4 source package")
      endif()
      file(MAKE_DIRECTORY "${_cache}")
      file(COPY_FILE "${_dl}" "${_cached}")
      set(_archive "${_cached}")
    endif()
  endif()
  if(NOT EXISTS "${_unpacked}/lua-${CU_LUA_VERSION}/src/lua.h")
    file(REMOVE_RECURSE "${_unpacked}")
    file(ARCHIVE_EXTRACT INPUT "${_archive}" DESTINATION "${_unpacked}")
  endif()
  cu_require_tree("${_unpacked}/lua-${CU_LUA_VERSION}/src")
  set(LUA_SRC "${_unpacked}/lua-${CU_LUA_VERSION}/src")
endif()

# LUA_PATCHED_SRC: a copy of the verified tree with lua-stop.patch applied
# (docs/SANDBOX.md), rebuilt whenever the patch or the tree changes.
# LUA_PATCHED_FILES: the .c files the patch changes; libcu compiles these
# from the copy and every other file from LUA_SRC, the standalone 'lua'
# compiles them all from LUA_SRC.
set(CU_LUA_PATCH ${CMAKE_CURRENT_LIST_DIR}/lua-stop.patch)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${CU_LUA_PATCH}")
file(STRINGS "${CU_LUA_PATCH}" _targets REGEX "^\\+\\+\\+ b/src/[a-z0-9]+\\.c$")
set(LUA_PATCHED_FILES "")
foreach(t IN LISTS _targets)
  string(REGEX REPLACE "^\\+\\+\\+ b/src/" "" t "${t}")
  list(APPEND LUA_PATCHED_FILES "${t}")
endforeach()
find_program(CU_PATCH_TOOL patch)
if(NOT CU_PATCH_TOOL)
  message(FATAL_ERROR "The 'patch' program is needed to apply ${CU_LUA_PATCH} "
                      "(Debian package: patch).")
endif()
file(SHA256 "${CU_LUA_PATCH}" _psum)
set(_patched "${CMAKE_BINARY_DIR}/lua-patched")
set(_want "${_psum} ${LUA_SRC}")
set(_have "")
if(EXISTS "${_patched}/applied")
  file(READ "${_patched}/applied" _have)
endif()
if(NOT _have STREQUAL _want)
  file(REMOVE_RECURSE "${_patched}")
  file(MAKE_DIRECTORY "${_patched}")
  file(COPY "${LUA_SRC}" DESTINATION "${_patched}")  # _patched/src
  execute_process(COMMAND "${CU_PATCH_TOOL}" -p1 --batch --forward
                          --no-backup-if-mismatch -i "${CU_LUA_PATCH}"
                  WORKING_DIRECTORY "${_patched}" RESULT_VARIABLE _rc
                  OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "Applying ${CU_LUA_PATCH} to the verified Lua sources failed:\n${_out}")
  endif()
  file(WRITE "${_patched}/applied" "${_want}")
  message(STATUS "Lua sources: patched copy in ${_patched} (${LUA_PATCHED_FILES})")
endif()
set(LUA_PATCHED_SRC "${_patched}/src")
