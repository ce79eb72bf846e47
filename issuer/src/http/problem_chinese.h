// The Chinese message of a Problem: the one its maker wrote (messageZh),
// else one derived from the English message by a table of the issuer's
// messages (keeping the values they interpolate: field names, numbers,
// dates), else a generic sentence for the code naming the field.
#pragma once

#include <string>

#include "titlecert/issuer/problem.h"

namespace titlecert::issuer::http {

std::string chineseMessage(const Problem& p);

}  // namespace titlecert::issuer::http
