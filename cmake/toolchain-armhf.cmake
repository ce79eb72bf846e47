# Cross-compiling for 32-bit ARM, hard float (scripts/cross-build.sh armhf).
set(CMAKE_SYSTEM_PROCESSOR arm)
set(TITLECERT_CROSS_TRIPLE arm-linux-gnueabihf)
set(TITLECERT_CROSS_QEMU qemu-arm)
# GCC notes on 32-bit ARM that passing some iterators changed ABI in GCC 7.1;
# everything here is built with one GCC, so the note is only noise.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
