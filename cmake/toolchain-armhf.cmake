# Cross-compiling for armhf Linux with Debian's cross toolchain and multiarch
# libraries (scripts/cross-build.sh armhf installs both). Tests run under
# qemu-user: ctest and gtest_discover_tests prefix target programs with
# CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)

set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
# GCC notes on 32-bit ARM that passing some iterators changed ABI in GCC 7.1;
# everything here is built with one GCC, so the note is only noise.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)

# The target's libraries are in /usr/lib/arm-linux-gnueabihf (multiarch) with headers
# in /usr/include, and its C library under /usr/arm-linux-gnueabihf; "/" stays a root so
# the arch-independent header-only packages (nlohmann-json) are found too.
set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config answers for the target, never for the build machine.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/arm-linux-gnueabihf/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# The emulator's root is "/", where Debian's multiarch packages put the
# target's dynamic loader (/lib/ld-linux-*.so) and every library the programs
# load (libc6:armhf, libssl3, libstdc++6...). Not /usr/arm-linux-gnueabihf: the
# cross toolchain's loader there is another glibc build (2.36-8cross1) than
# the multiarch libc.so.6 it then finds through /etc/ld.so.cache (2.36-9+deb12u*),
# and that mix breaks glibc-internal structures: the first pthread_create
# spins forever in the stack-cache lock (aarch64) or crashes (armhf).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm -L /)
