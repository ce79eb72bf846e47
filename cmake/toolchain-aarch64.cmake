# Cross-compiling for aarch64 Linux with Debian's cross toolchain and multiarch
# libraries (scripts/cross-build.sh aarch64 installs both). Tests run under
# qemu-user: ctest and gtest_discover_tests prefix target programs with
# CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# The target's libraries are in /usr/lib/aarch64-linux-gnu (multiarch) with headers
# in /usr/include, and its C library under /usr/aarch64-linux-gnu; "/" stays a root so
# the arch-independent header-only packages (nlohmann-json) are found too.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config answers for the target, never for the build machine.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# The emulator's root is "/", where Debian's multiarch packages put the
# target's dynamic loader (/lib/ld-linux-*.so) and every library the programs
# load (libc6:arm64, libssl3, libstdc++6...). Not /usr/aarch64-linux-gnu: the
# cross toolchain's loader there is another glibc build (2.36-8cross1) than
# the multiarch libc.so.6 it then finds through /etc/ld.so.cache (2.36-9+deb12u*),
# and that mix breaks glibc-internal structures: the first pthread_create
# spins forever in the stack-cache lock (aarch64) or crashes (armhf).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /)
