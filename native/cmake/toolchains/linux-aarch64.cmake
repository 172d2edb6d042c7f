# Cross build of libcu for linux-aarch64 with Debian's cross compiler
# (package gcc-aarch64-linux-gnu); its tests run under qemu-user.
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=native/cmake/toolchains/linux-aarch64.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CU_TRIPLE aarch64-linux-gnu)
set(CU_CROSS_PACKAGE gcc-aarch64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/cross-common.cmake)

find_program(CU_QEMU qemu-aarch64)
set(CU_EMULATOR_HINT "install Debian's package qemu-user (qemu-aarch64)")
if(CU_QEMU)
  # -L: the target's dynamic loader and libc, from libc6-arm64-cross
  set(CMAKE_CROSSCOMPILING_EMULATOR "${CU_QEMU};-L;/usr/${CU_TRIPLE}")
endif()
