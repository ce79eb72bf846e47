// The verifier's tamper table (see tamper_table.h): the rows are built as
// functions and evaluated once, so each text is signed with the world's keys.
#include "support/tamper_table.h"

#include <functional>

#include "support/world.h"
#include "titlecert/base45.h"
#include "titlecert/cbor.h"
#include "titlecert/cose.h"
#include "titlecert/zc1.h"

namespace titlecert::testing {
namespace {

zc1::Credential titleWith(const std::function<void(zc1::Credential&, zc1::TitleBody&)>& edit,
                          const std::string& iss = kHomeIss) {
  auto c = sampleTitle(iss);
  auto t = *c.title();
  edit(c, t);
  c.body = t;
  return c;
}

std::string forged(const std::string& text) {
  auto cose = *base45::decode(std::string_view(text).substr(4));
  cose[cose.size() - 5] ^= 0x40;  // inside the signature
  return "ZC1:" + base45::encode(cose);
}

std::string raisedLevelKeepingSignature(const std::string& text) {
  // Re-encode the claims with level 5 but keep the old signature.
  auto cose = *base45::decode(std::string_view(text).substr(4));
  auto msg = *cose::parseSign1(cose);
  auto claims = *cbor::decode(*msg.payload);
  cbor::Map top;
  for (const auto& [k, v] : claims.asMap()) {
    if (k == cbor::Value::integer(zc1::key::kZc)) {
      cbor::Map zc;
      for (const auto& [zk, zv] : v.asMap()) zc.emplace_back(zk, zk == cbor::Value::uint(12) ? cbor::Value::uint(5) : zv);
      top.emplace_back(k, cbor::Value::map(std::move(zc)));
    } else {
      top.emplace_back(k, v);
    }
  }
  cbor::Writer w;
  w.tag(18);
  w.arrayHeader(4);
  w.bytes(msg.protectedBytes);
  w.mapHeader(0);
  w.bytes(cbor::encode(cbor::Value::map(std::move(top))));
  w.bytes(msg.signature);
  return "ZC1:" + base45::encode(w.data());
}

struct Row {
  const char* name;
  Code expected;
  std::function<std::string()> make;
  std::optional<std::string> id = std::nullopt;
};

std::vector<Row> rowMakers() {
  const auto& w = world();
  return {
      {"valid SM2 title", Code::OK, [&] { return issueText(sampleTitle(), w.home); }},
      {"valid Ed25519 title", Code::OK, [&] { return issueText(sampleTitle(), w.homeEd); }},
      {"valid ES256 qualification", Code::OK, [&] { return issueText(sampleQualification(), w.homeEs); }},
      {"wrong prefix", Code::NOT_ZC1, [&] { return "HC1:" + issueText(sampleTitle(), w.homeEd).substr(4); }},
      {"not Base45", Code::BAD_ENCODING, [] { return std::string("ZC1:hello"); }},
      {"truncated", Code::BAD_CBOR, [&] {
         auto cose = *base45::decode(std::string_view(issueText(sampleTitle(), w.homeEd)).substr(4));
         cose.resize(cose.size() - 20);
         return "ZC1:" + base45::encode(cose);
       }},
      {"oversize input", Code::BAD_CBOR, [] { return "ZC1:" + std::string(9000, 'A'); }},
      {"outer tag 61", Code::BAD_COSE, [&] {
         auto cose = *base45::decode(std::string_view(issueText(sampleTitle(), w.homeEd)).substr(4));
         cose[0] = 0xd8;  // 18 -> 24(...): re-tag as 61 with a one-byte tag head
         cose.insert(cose.begin() + 1, 61);
         return "ZC1:" + base45::encode(cose);
       }},
      {"forged signature", Code::BAD_SIGNATURE, [&] { return forged(issueText(sampleTitle(), w.home)); }},
      {"altered claim (level raised)", Code::BAD_SIGNATURE, [&] { return raisedLevelKeepingSignature(issueText(sampleTitle(), w.homeEd)); }},
      {"key not in bundle", Code::UNKNOWN_KID, [&] { return issueText(sampleTitle(), *crypto::PrivateKey::generate(crypto::Alg::EdDSA)); }},
      {"trusted key under another iss", Code::UNKNOWN_KID, [&] { return issueText(sampleTitle(kGuangdongIss), w.homeEd); }},
      {"unknown series", Code::BAD_CLAIMS, [&] { return issueText(titleWith([](auto&, auto& t) { t.series = 999; }), w.homeEd); }},
      {"specialty of another series", Code::BAD_CLAIMS, [&] { return issueText(titleWith([](auto&, auto& t) { t.series = 1; }), w.homeEd); }},
      {"unknown committee", Code::BAD_CLAIMS, [&] { return issueText(titleWith([](auto&, auto& t) { t.committee = 1; }), w.homeEd); }},
      {"unknown qualification", Code::BAD_CLAIMS, [&] {
         auto c = sampleQualification();
         std::get<zc1::QualificationBody>(c.body).qualification = 999;
         return issueText(c, w.homeEd);
       }},
      {"unknown key 50 in zc", Code::UNSUPPORTED_VERSION, [&] {
         auto c = sampleTitle();
         auto claims = *cbor::decode(*zc1::encodeClaims(c));
         cbor::Map top;
         for (const auto& [k, val] : claims.asMap()) {
           if (k == cbor::Value::integer(zc1::key::kZc)) {
             auto zc = val.asMap();
             zc.emplace_back(cbor::Value::uint(50), cbor::Value::uint(1));
             top.emplace_back(k, cbor::Value::map(zc));
           } else {
             top.emplace_back(k, val);
           }
         }
         return "ZC1:" + base45::encode(*cose::sign(w.homeEd, cbor::encode(cbor::Value::map(top))));
       }},
      {"iat before the key's window", Code::KEY_NOT_VALID, [&] {
         return issueText(titleWith([](auto& c, auto&) { c.iat = kKeyValidFrom - 1; }), w.homeEd);
       }},
      {"enterprise signs another specialty", Code::OUT_OF_SCOPE, [&] {
         return issueText(titleWith([](auto&, auto& t) { t.specialty = 502; t.level = 3; }, kEnterpriseIss), w.enterprise);
       }},
      {"enterprise signs above its level", Code::OUT_OF_SCOPE, [&] { return issueText(sampleTitle(kEnterpriseIss), w.enterprise); }},
      {"enterprise signs a qualification", Code::OUT_OF_SCOPE, [&] { return issueText(sampleQualification(kEnterpriseIss), w.enterprise); }},
      {"enterprise within scope", Code::OK, [&] {
         return issueText(titleWith([](auto&, auto& t) { t.level = 3; }, kEnterpriseIss), w.enterprise);
       }},
      {"not yet valid", Code::NOT_YET_VALID, [&] {
         return issueText(titleWith([](auto& c, auto&) { c.nbf = static_cast<std::uint64_t>(kNow + 1); }), w.homeEd);
       }},
      {"nbf equal to now is valid", Code::OK, [&] {
         return issueText(titleWith([](auto& c, auto&) { c.nbf = static_cast<std::uint64_t>(kNow); }), w.homeEd);
       }},
      {"expired (now == exp)", Code::EXPIRED, [&] {
         return issueText(titleWith([](auto& c, auto&) { c.exp = static_cast<std::uint64_t>(kNow); }), w.homeEd);
       }},
      {"revoked (status index 13)", Code::REVOKED, [&] {
         return issueText(titleWith([](auto& c, auto&) { c.statusIndex = 13; }), w.homeEd);
       }},
      {"neighbour of the revoked index", Code::OK, [&] {
         return issueText(titleWith([](auto& c, auto&) { c.statusIndex = 12; }), w.homeEd);
       }},
      {"last index the status list covers", Code::OK, [&] {
         return issueText(titleWith([](auto& c, auto&) { c.statusIndex = kHomeStatusIssued - 1; }), w.homeEd);
       }},
      {"index beyond the status list is revoked", Code::REVOKED, [&] {
         return issueText(titleWith([](auto& c, auto&) { c.statusIndex = kHomeStatusIssued; }), w.homeEd);
       }},
      {"issuer without a status list: nothing revoked", Code::OK, [&] {
         return issueText(titleWith([](auto& c, auto&) { c.statusIndex = 13; }, kGuangdongIss), w.guangdong);
       }},
      {"region not accepted", Code::NOT_RECOGNIZED, [&] { return issueText(sampleTitle(kAbroadIss), w.abroad); }},
      {"accepted other region", Code::OK, [&] { return issueText(sampleTitle(kGuangdongIss), w.guangdong); }},
      {"holder mismatch", Code::HOLDER_MISMATCH, [&] { return issueText(sampleTitle(), w.homeEd); },
       std::string("CN:11010519491231002X")},
      {"holder match", Code::OK, [&] { return issueText(sampleTitle(), w.homeEd); }, kHolderId},
  };
}

}  // namespace

std::vector<TamperRow> tamperRows() {
  std::vector<TamperRow> out;
  for (const auto& row : rowMakers()) out.push_back(TamperRow{row.name, row.expected, row.make(), row.id});
  return out;
}

}  // namespace titlecert::testing
