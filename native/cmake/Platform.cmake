# Platform.cmake - CU_PLATFORM, the '<os>-<arch>' name of the target
# (linux-x86_64, linux-aarch64, windows-x86_64, macos-x86_64,
# macos-aarch64). It names the folder dev/cu/native/<platform>/ inside the
# cu-native classifier jar of the same name, and is what the Java loader
# computes from os.name and os.arch.

string(TOLOWER "${CMAKE_SYSTEM_NAME}" _os)
if(_os STREQUAL "darwin")
  set(_os macos)
endif()
string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" _arch)
if(_arch MATCHES "^(x86_64|amd64)$")
  set(_arch x86_64)
elseif(_arch MATCHES "^(aarch64|arm64)$")
  set(_arch aarch64)
endif()
set(CU_PLATFORM "${_os}-${_arch}" CACHE STRING "Platform name (<os>-<arch>)")

# The oldest glibc each Linux library must run on: the highest GLIBC_
# symbol version it may require (checked by the glibc_baseline test).
# x86_64 keeps to 2.14 (RHEL/CentOS 7 has 2.17); aarch64 glibc starts at 2.17.
# Only for glibc: another C library (musl) has no symbol versions.
if(CU_PLATFORM MATCHES "^linux-")
  include(CheckSymbolExists)
  check_symbol_exists(__GLIBC__ "features.h" CU_HAVE_GLIBC)
endif()
if(CU_HAVE_GLIBC AND CU_PLATFORM STREQUAL "linux-x86_64")
  set(CU_GLIBC_MAX 2.14)
elseif(CU_HAVE_GLIBC AND CU_PLATFORM STREQUAL "linux-aarch64")
  set(CU_GLIBC_MAX 2.17)
endif()
