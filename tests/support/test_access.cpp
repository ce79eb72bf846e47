// The one definition of crypto::testAccess(): linked into tests and
// benchmarks through titlecert_test_support, never into products.
#include "titlecert/crypto.h"

namespace titlecert::crypto {

TestAccess testAccess() { return TestAccess(); }

}  // namespace titlecert::crypto
