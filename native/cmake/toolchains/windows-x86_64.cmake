# Cross build of libcu for windows-x86_64 with Debian's MinGW-w64
# (package gcc-mingw-w64-x86-64); its tests run under wine (package wine64).
#   cmake -S . -B build-win64 -DCMAKE_TOOLCHAIN_FILE=native/cmake/toolchains/windows-x86_64.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CU_TRIPLE x86_64-w64-mingw32)
set(CU_CROSS_PACKAGE gcc-mingw-w64-x86-64)
include(${CMAKE_CURRENT_LIST_DIR}/cross-common.cmake)

find_program(CU_WINE NAMES wine64 wine PATHS /usr/lib/wine)
set(CU_EMULATOR_HINT "install Debian's package wine64")
if(CU_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR "env;WINEDEBUG=-all;${CU_WINE}")
endif()
