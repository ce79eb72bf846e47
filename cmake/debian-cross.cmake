# What both ARM toolchain files share: Debian's cross toolchain and multiarch
# libraries for the GNU triple TITLECERT_CROSS_TRIPLE, programs run by
# TITLECERT_CROSS_QEMU (scripts/cross-build.sh installs them). Tests run under
# qemu-user: ctest and gtest_discover_tests prefix target programs with
# CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_LIBRARY_ARCHITECTURE ${TITLECERT_CROSS_TRIPLE})

set(CMAKE_C_COMPILER ${TITLECERT_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${TITLECERT_CROSS_TRIPLE}-g++)

# The target's libraries are in /usr/lib/TRIPLE (multiarch) with headers in
# /usr/include, and its C library under /usr/TRIPLE; "/" stays a root so the
# arch-independent header-only packages (nlohmann-json) are found too.
set(CMAKE_FIND_ROOT_PATH /usr/${TITLECERT_CROSS_TRIPLE} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config answers for the target, never for the build machine.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${TITLECERT_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# The emulator's root is "/", where Debian's multiarch packages put the
# target's dynamic loader (/lib/ld-linux-*.so) and every library the programs
# load (libc6, libssl3, libstdc++6... of the target architecture). Not
# /usr/TRIPLE: the cross toolchain's loader there is another glibc build
# (2.36-8cross1) than the multiarch libc.so.6 it then finds through
# /etc/ld.so.cache (2.36-9+deb12u*), and that mix breaks glibc-internal
# structures: the first pthread_create spins forever in the stack-cache lock
# (aarch64) or crashes (armhf).
set(CMAKE_CROSSCOMPILING_EMULATOR ${TITLECERT_CROSS_QEMU} -L /)
