# Cross-compiling for aarch64 Linux (scripts/cross-build.sh aarch64).
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(TITLECERT_CROSS_TRIPLE aarch64-linux-gnu)
set(TITLECERT_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
