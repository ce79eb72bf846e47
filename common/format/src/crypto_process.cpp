#include "titlecert/crypto_process.h"

#include <openssl/crypto.h>

namespace titlecert::crypto {

// The configuration file is still read, on first use as before: only the
// clean-up at exit is left out.
void skipCleanupAtExit() noexcept { OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr); }

}  // namespace titlecert::crypto
