# Shared part of the GNU cross toolchain files: CU_TRIPLE names the
# compiler, CU_CROSS_PACKAGE the Debian package that installs it.
find_program(CU_CROSS_CC ${CU_TRIPLE}-gcc)
if(NOT CU_CROSS_CC)
  message(FATAL_ERROR "cu: the cross compiler ${CU_TRIPLE}-gcc is not installed; "
                      "install Debian's package ${CU_CROSS_PACKAGE} "
                      "(apt-get install ${CU_CROSS_PACKAGE})")
endif()
set(CMAKE_C_COMPILER "${CU_CROSS_CC}")
set(CMAKE_FIND_ROOT_PATH /usr/${CU_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
