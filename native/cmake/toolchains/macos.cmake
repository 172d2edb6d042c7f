# Cross build of libcu for macos-x86_64 or macos-aarch64 with osxcross
# (not a Debian package: it needs Apple's SDK, which is not redistributable).
# On a Mac no toolchain file is needed: the host build is macos-<arch>.
#   cmake -S . -B build-mac -DCU_MACOS_ARCH=aarch64 -DCU_TESTS=OFF \
#         -DCMAKE_TOOLCHAIN_FILE=native/cmake/toolchains/macos.cmake
set(CMAKE_SYSTEM_NAME Darwin)
if(NOT CU_MACOS_ARCH)
  set(CU_MACOS_ARCH x86_64)
endif()
set(CMAKE_SYSTEM_PROCESSOR ${CU_MACOS_ARCH})
if(CU_MACOS_ARCH STREQUAL "aarch64")
  set(_cc oa64-clang)
else()
  set(_cc o64-clang)
endif()
find_program(CU_CROSS_CC ${_cc})
if(NOT CU_CROSS_CC)
  message(FATAL_ERROR "cu: ${_cc} (osxcross) is not on the PATH; macOS targets are built "
                      "on a Mac, or with osxcross and a macOS SDK (see docs/PACKAGING.md)")
endif()
set(CMAKE_C_COMPILER "${CU_CROSS_CC}")
set(CMAKE_OSX_DEPLOYMENT_TARGET 11.0 CACHE STRING "")
set(CU_EMULATOR_HINT "macOS programs cannot run on this machine")
