#include <chrono>

#include "titlecert/issuer/clock.h"

namespace titlecert::issuer {

std::int64_t SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace titlecert::issuer
