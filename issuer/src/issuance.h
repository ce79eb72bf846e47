// Issuance: validated drafts in, signed and stored credentials out.
//
// Group commit: callers put their drafts in the Core's queue, and whichever
// caller gets the writer processes everything queued, up to
// batch.commit_rows per transaction. In one transaction each draft gets its
// certificate number and status index from the gap-free counters, its holder
// binding (scrypt, derived in parallel), its signature, its row and its audit
// entry; bindings and signatures are made on several threads. A draft that fails is taken out and the transaction is run again
// without it, so a failing row never leaves a gap or touches the others;
// a crash loses the uncommitted group whole, never half of a row.
#pragma once

#include <vector>

#include "core.h"
#include "requests.h"

namespace titlecert::issuer {

std::vector<Expected<Issued>> issueDrafts(Service::Core& core, std::vector<Expected<Draft>> drafts, const Actor& by);

}  // namespace titlecert::issuer
