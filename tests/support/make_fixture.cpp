// Writes a verifier fixture into a folder for the tests that drive the C API
// and the CLI from outside: root.pub.pem, bundle.cbor (version 7), and
// certificates as text and QR PNG (valid, revoked, forged, out of scope,
// a qualification, and an image with no code), the delta from version 6
// to 7, and the valid title signed with Ed25519 and ES256 as text; and the
// verifier's tamper table (tamper.json: now, and per row name, expected
// code, text, id) for the WebAssembly verifier's run under node.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "support/tamper_table.h"
#include "support/world.h"
#include "titlecert/base45.h"
#include "titlecert/bundle_delta.h"
#include "titlecert/files.h"
#include "titlecert/qr.h"

using namespace titlecert;
using namespace titlecert::testing;

namespace {

void write(const std::filesystem::path& p, ByteView data) {
  if (!files::writeAtomically(p.string(), data).ok()) {
    std::cerr << "make_fixture: cannot write " << p << "\n";
    std::exit(1);
  }
}

void writeCode(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  write(dir / (name + ".txt"), asBytes(text));
  auto m = qr::encode(text);
  if (!m) std::exit(1);
  write(dir / (name + ".png"), qr::toPng(*m, 6));
}

std::string forged(std::string text) {
  auto cose = *base45::decode(std::string_view(text).substr(4));
  cose[cose.size() - 3] ^= 0x01;
  return "ZC1:" + base45::encode(cose);
}

void writeTamperTable(const std::filesystem::path& dir) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : tamperRows()) {
    rows.push_back({{"name", row.name},
                    {"expected", std::string(codeName(row.expected))},
                    {"text", row.text},
                    {"id", row.id ? nlohmann::json(*row.id) : nlohmann::json()}});
  }
  nlohmann::json mustSee = nlohmann::json::array();
  for (Code c : kTamperCodes) mustSee.push_back(std::string(codeName(c)));
  const nlohmann::json table = {{"now", kNow}, {"rows", rows}, {"mustSee", mustSee}};
  write(dir / "tamper.json", asBytes(table.dump(2)));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_fixture DIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  const auto& w = world();
  write(dir / "root.pub.pem", asBytes(w.root.publicKey().pem()));
  write(dir / "bundle.cbor", w.signedBundle());
  auto older = w.contents;
  older.version = 6;
  const Bytes v6 = *bundle::sign(older, w.root);
  write(dir / "bundle-v6.cbor", v6);
  // What a terminal holding version 6 receives to reach version 7.
  write(dir / "delta-v6-v7.cbor", *bundle::makeDelta(v6, w.signedBundle(), w.root));

  const std::string valid = issueText(sampleTitle(), w.home);
  writeCode(dir, "valid", valid);
  writeCode(dir, "forged", forged(valid));
  // The same title signed with the other algorithms (the batch benchmarks).
  write(dir / "valid_ed25519.txt", asBytes(issueText(sampleTitle(), w.homeEd)));
  write(dir / "valid_es256.txt", asBytes(issueText(sampleTitle(), w.homeEs)));
  auto revoked = sampleTitle();
  revoked.statusIndex = 13;
  writeCode(dir, "revoked", issueText(revoked, w.homeEd));
  writeCode(dir, "out_of_scope", issueText(sampleTitle(kEnterpriseIss), w.enterprise));
  writeCode(dir, "qualification", issueText(sampleQualification(), w.homeEs));
  qr::Matrix blank;  // an all-light symbol renders as a plain white image: no code in it
  blank.size = 41;
  blank.dark.assign(41 * 41, 0);
  write(dir / "no_code.png", qr::toPng(blank, 6));
  writeTamperTable(dir);
  std::cout << "fixture written to " << dir.string() << "\n";
  return 0;
}
