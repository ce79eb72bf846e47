// The CBOR tape (titlecert/cbor_tape.h): its layout, its node against the
// Value tree's node on the RFC 8949 corpus, and a bundle read from a tape
// against the same bundle read from a Value tree, also on damaged payloads.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>

#include "support/world.h"
#include "titlecert/bundle.h"
#include "titlecert/cbor.h"
#include "titlecert/cbor_node.h"
#include "titlecert/cbor_tape.h"
#include "titlecert/cose.h"

namespace {

using namespace titlecert;
using cbor::Type;

Bytes hex(const std::string& h) { return *fromHex(h); }

// Every call of the field reader's node interface gives the same answer on
// the tape as on the Value tree built from it.
void expectSameNode(const cbor::TapeNode& t, const cbor::Node& v, const std::string& at) {
  SCOPED_TRACE(at);
  ASSERT_EQ(t.isMap(), v.isMap());
  ASSERT_EQ(t.isArray(), v.isArray());
  EXPECT_EQ(t.isNull(), v.isNull());
  EXPECT_EQ(t.isBool(), v.isBool());
  if (t.isBool()) {
    EXPECT_EQ(t.asBool(), v.asBool());
  }
  ASSERT_EQ(t.isUint(), v.isUint());
  if (t.isUint()) {
    EXPECT_EQ(t.asUint(), v.asUint());
  }
  std::int64_t ti = 0, vi = 0;
  ASSERT_EQ(t.asInt64(ti), v.asInt64(vi));
  EXPECT_EQ(ti, vi);
  ASSERT_EQ(t.isText(), v.isText());
  if (t.isText()) {
    EXPECT_EQ(t.asText(), v.asText());
  }
  ASSERT_EQ(t.isBytes(), v.isBytes());
  if (t.isBytes()) {
    EXPECT_EQ(Bytes(t.asBytes().begin(), t.asBytes().end()), Bytes(v.asBytes().begin(), v.asBytes().end()));
  }
  if (t.isArray()) {
    ASSERT_EQ(t.size(), v.size());
    for (std::size_t i = 0; i < t.size(); ++i) expectSameNode(t.item(i), v.item(i), at + "[" + std::to_string(i) + "]");
  }
  if (t.isMap()) {
    ASSERT_EQ(t.size(), v.size());
    EXPECT_EQ(t.keys(), v.keys());
    for (const std::string& k : v.keys()) {
      auto tv = t.find(k);
      ASSERT_TRUE(tv.has_value()) << k;
      expectSameNode(*tv, *v.find(k), at + "." + k);
    }
    EXPECT_FALSE(t.find("no such key").has_value());
  }
}

TEST(CborTape, RecordsEachSubtreeAndViewsIntoTheInput) {
  // {"a": 1, "b": [2, 3]}
  const Bytes in = hex("a261610161628202" "03");
  auto tape = cbor::decodeTape(in, cbor::zc1Profile());
  ASSERT_TRUE(tape.ok()) << tape.error().detail;
  ASSERT_EQ(tape->items().size(), 7u);
  EXPECT_EQ((*tape)[0].type, Type::Map);
  EXPECT_EQ((*tape)[0].arg, 2u);
  EXPECT_EQ((*tape)[0].next, 7u);
  EXPECT_EQ((*tape)[1].type, Type::Text);
  EXPECT_EQ((*tape)[1].offset, 2u);
  EXPECT_EQ((*tape)[1].next, 2u);
  EXPECT_EQ((*tape)[4].type, Type::Array);
  EXPECT_EQ((*tape)[4].next, 7u);
  const cbor::TapeNode root(*tape);
  EXPECT_EQ(root.find("a")->asUint(), 1u);
  const auto list = *root.find("b");
  // Backwards after forwards: the element cursor starts over.
  EXPECT_EQ(list.item(1).asUint(), 3u);
  EXPECT_EQ(list.item(0).asUint(), 2u);
  // Text of a node that is not text is empty, as a Value's is.
  EXPECT_EQ(root.find("b")->asText(), "");
  EXPECT_EQ(root.keys(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(root.find("a")->isText(), false);
  EXPECT_EQ(reinterpret_cast<const std::uint8_t*>(cbor::TapeNode(*tape, 1).asText().data()), in.data() + 2);
}

TEST(CborTape, FailsWithTheDecodersErrors) {
  for (const char* h : {"a2616101616001", "a1f93c0001", "9f01ff", "5f4101ff", "81c101", "8201"}) {
    SCOPED_TRACE(h);
    const Bytes in = hex(h);
    auto tape = cbor::decodeTape(in, cbor::zc1Profile());
    auto value = cbor::decode(in, cbor::zc1Profile());
    ASSERT_FALSE(tape.ok());
    ASSERT_FALSE(value.ok());
    EXPECT_EQ(tape.code(), Code::BAD_CBOR);
    EXPECT_EQ(tape.error().detail, value.error().detail);
  }
}

// Three-byte UTF-8 has its own fast path in the strict check.
TEST(CborTape, StrictTextRefusesBadThreeByteForms) {
  const auto detail = [](const char* h) {
    const Bytes in = hex(h);
    auto tape = cbor::decodeTape(in, cbor::zc1Profile());
    return tape.ok() ? std::string("ok") : tape.error().detail;
  };
  EXPECT_EQ(detail("63e4b8ad"), "ok");      // 中
  EXPECT_EQ(detail("6441e4b8ad"), "ok");    // A中
  EXPECT_EQ(detail("63efbfbf"), "ok");      // U+FFFF
  EXPECT_EQ(detail("63e08080"), "CBOR: text string that is not valid UTF-8 at offset 1");    // overlong
  EXPECT_EQ(detail("6441eda080"), "CBOR: text string that is not valid UTF-8 at offset 2");  // surrogate
  EXPECT_EQ(detail("62e4b8"), "CBOR: text string that is not valid UTF-8 at offset 1");      // cut short
  EXPECT_EQ(detail("63e4b841"), "CBOR: text string that is not valid UTF-8 at offset 1");    // not a continuation
}

// ASCII is skipped eight bytes at a time; what follows a run is still checked.
TEST(CborTape, StrictTextFindsBadUtf8AfterAsciiRuns) {
  const auto detail = [](const std::string& h) {
    const Bytes in = hex(h);
    auto tape = cbor::decodeTape(in, cbor::zc1Profile());
    return tape.ok() ? std::string("ok") : tape.error().detail;
  };
  const std::string nine = "414141414141414141";  // "AAAAAAAAA"
  EXPECT_EQ(detail("6c" + nine + "e4b8ad"), "ok");
  EXPECT_EQ(detail("6c" + nine + "ff4141"), "CBOR: text string that is not valid UTF-8 at offset 10");
  EXPECT_EQ(detail("6c" + nine + "4141ff"), "CBOR: text string that is not valid UTF-8 at offset 12");
  EXPECT_EQ(detail("71" + nine + "4141414141414180"), "CBOR: text string that is not valid UTF-8 at offset 17");
}

TEST(CborTape, LenientTapesKeepChunksAndFloatsForTheValue) {
  // (_ "ab", "c") and 1.5 as a half float.
  const Bytes in = hex("827f6261626163fff93e00");
  auto tape = cbor::decodeTape(in);
  ASSERT_TRUE(tape.ok());
  EXPECT_EQ((*tape)[1].ai, 31);
  EXPECT_EQ((*tape)[1].arg, 3u);
  EXPECT_EQ(cbor::toValue(*tape), cbor::Value::array({cbor::Value::text("abc"), cbor::Value::floating(1.5)}));
}

std::string readFile(const std::string& relative) {
  std::ifstream in(std::string(TITLECERT_SHARED_DIR) + "/testdata/" + relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(CborTape, NodeAgreesWithTheValueNodeOnAppendixA) {
  const auto doc = nlohmann::json::parse(readFile("cbor-test-vectors/appendix_a.json"));
  std::size_t compared = 0;
  for (const auto& e : doc) {
    const Bytes in = hex(e["hex"].get<std::string>());
    auto tape = cbor::decodeTape(in);
    if (!tape) continue;
    bool chunked = false;  // a chunked string has no view: Value only
    for (const auto& it : tape->items()) chunked = chunked || it.ai == 31;
    if (chunked) continue;
    const cbor::Value v = cbor::toValue(*tape);
    expectSameNode(cbor::TapeNode(*tape), cbor::Node(v), e["hex"].get<std::string>());
    ++compared;
  }
  EXPECT_GT(compared, 60u);
}

Bytes payloadOf(const Bytes& signedBundle) {
  auto msg = cose::parseSign1(signedBundle);
  return *msg->payload;
}

// An unsigned envelope around any payload, for decodeUnverified.
Bytes envelope(ByteView payload) {
  cbor::Writer header;
  header.mapHeader(1);
  header.uint(cose::kHeaderKid);
  header.bytes(Bytes(8, 7));
  cbor::Writer w;
  w.tag(cose::kSign1Tag);
  w.arrayHeader(4);
  w.bytes(header.data());
  w.mapHeader(0);
  w.bytes(payload);
  w.bytes(Bytes(64, 1));
  return w.take();
}

cbor::DecodeOptions bundleProfile() {
  auto o = cbor::zc1Profile();
  o.maxDepth = 16;
  o.maxBytes = bundle::kMaxBundleBytes;
  o.maxItems = 1 << 20;
  return o;
}

// The payload read from its tape (decodeUnverified) and from a Value tree
// (fromCbor): the same contents or the same error.
void expectSameReading(const Bytes& payload) {
  crypto::Kid kid{};
  auto fromTape = bundle::decodeUnverified(envelope(payload), kid);
  auto value = cbor::decode(payload, bundleProfile());
  if (!value) {
    ASSERT_FALSE(fromTape.ok());
    EXPECT_EQ(fromTape.error().detail, "payload: " + value.error().detail);
    return;
  }
  auto fromTree = bundle::fromCbor(*value);
  ASSERT_EQ(fromTape.ok(), fromTree.ok()) << (fromTape ? fromTree.error().detail : fromTape.error().detail);
  if (!fromTape) {
    EXPECT_EQ(fromTape.code(), fromTree.code());
    EXPECT_EQ(fromTape.error().detail, fromTree.error().detail);
    return;
  }
  EXPECT_EQ(cbor::encode(bundle::toCbor(*fromTape)), cbor::encode(bundle::toCbor(*fromTree)));
}

TEST(CborTape, ABundleReadsTheSameFromATapeAsFromAValueTree) {
  const Bytes payload = payloadOf(titlecert::testing::world().signedBundle());
  crypto::Kid kid{};
  auto contents = bundle::decodeUnverified(envelope(payload), kid);
  ASSERT_TRUE(contents.ok()) << contents.error().detail;
  EXPECT_EQ(cbor::encode(bundle::toCbor(*contents)), payload);
  auto tape = cbor::decodeTape(payload, bundleProfile());
  ASSERT_TRUE(tape.ok());
  const cbor::Value v = cbor::toValue(*tape);
  expectSameNode(cbor::TapeNode(*tape), cbor::Node(v), "bundle");
  expectSameReading(payload);
}

// Damage of every kind a byte flip makes: bad CBOR, wrong types, texts out
// of order, bad UTF-8, rows the catalogue's checks refuse.
TEST(CborTape, DamagedBundlesFailTheSameFromATapeAsFromAValueTree) {
  const Bytes payload = payloadOf(titlecert::testing::world().signedBundle());
  std::mt19937 rng(20261203);
  std::uniform_int_distribution<std::size_t> at(0, payload.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 300; ++round) {
    Bytes damaged = payload;
    damaged[at(rng)] = static_cast<std::uint8_t>(byte(rng));
    SCOPED_TRACE(round);
    expectSameReading(damaged);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
