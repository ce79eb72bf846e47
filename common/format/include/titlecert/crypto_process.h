// Process-wide settings of the crypto library, for programs (never for a
// library, whose host may still use OpenSSL after it is done).
#pragma once

namespace titlecert::crypto {

// For a program that exits when its work is done (the verifier's CLI):
// OpenSSL then leaves its tables to the kernel at exit instead of freeing
// them one by one from its atexit handler, which costs a start-up-sized run
// a few per cent of its instructions. Call it before any other crypto call:
// OpenSSL reads this option on its first initialisation only.
void skipCleanupAtExit() noexcept;

}  // namespace titlecert::crypto
