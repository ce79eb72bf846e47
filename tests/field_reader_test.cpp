// The field reader over a small in-memory node: first error wins, later reads
// do nothing, the caller's code and wording are used.
#include "titlecert/field_reader.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <variant>

namespace titlecert::fields {
namespace {

// A tree of null / uint / text / bool / array / map, enough to model both
// JSON and CBOR documents.
struct Tree;
using TreePtr = std::shared_ptr<Tree>;
struct Tree {
  std::variant<std::monostate, std::uint64_t, std::string, bool, std::vector<TreePtr>,
               std::vector<std::pair<std::string, TreePtr>>>
      v;
};
TreePtr null() { return std::make_shared<Tree>(); }
TreePtr u(std::uint64_t x) { return std::make_shared<Tree>(Tree{x}); }
TreePtr t(std::string x) { return std::make_shared<Tree>(Tree{std::move(x)}); }
TreePtr b(bool x) { return std::make_shared<Tree>(Tree{x}); }
TreePtr arr(std::vector<TreePtr> x) { return std::make_shared<Tree>(Tree{std::move(x)}); }
TreePtr map(std::vector<std::pair<std::string, TreePtr>> x) { return std::make_shared<Tree>(Tree{std::move(x)}); }

class Node {
 public:
  explicit Node(const Tree* t) : t_(t) {}
  bool isMap() const { return t_->v.index() == 5; }
  bool isArray() const { return t_->v.index() == 4; }
  bool isNull() const { return t_->v.index() == 0; }
  bool isUint() const { return t_->v.index() == 1; }
  std::uint64_t asUint() const { return std::get<1>(t_->v); }
  bool isText() const { return t_->v.index() == 2; }
  const std::string& asText() const { return std::get<2>(t_->v); }
  bool isBool() const { return t_->v.index() == 3; }
  bool asBool() const { return std::get<3>(t_->v); }
  std::size_t size() const { return isArray() ? std::get<4>(t_->v).size() : std::get<5>(t_->v).size(); }
  Node item(std::size_t i) const { return Node(std::get<4>(t_->v)[i].get()); }
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : std::get<5>(t_->v)) out.push_back(k);
    return out;
  }
  std::optional<Node> find(std::string_view key) const {
    for (const auto& [k, v] : std::get<5>(t_->v))
      if (k == key) return Node(v.get());
    return std::nullopt;
  }

 private:
  const Tree* t_;
};

TEST(FieldReader, ReadsEveryKindOfFieldWhenAllAreWellFormed) {
  auto doc = map({{"n", u(7)}, {"s", t("x")}, {"f", b(true)}, {"l", arr({u(1), u(2)})}, {"z", null()}});
  FieldErrors errors(Code::BAD_BUNDLE);
  FieldReader<Node> r(errors, Node(doc.get()), "row");
  std::uint64_t n = 0;
  std::string s;
  bool f = false;
  std::optional<std::uint64_t> z = 5;
  std::vector<std::uint64_t> l;
  r.uint("n", n);
  r.text("s", s, {});
  r.boolean("f", f);
  r.optionalUint("z", z);
  r.items("l", r.array("l", 4), l, [&](const Node& v, const std::string& at, std::uint64_t& out) {
    readUint(errors, v, at, out);
  });
  ASSERT_TRUE(r.status().ok());
  EXPECT_EQ(n, 7u);
  EXPECT_EQ(s, "x");
  EXPECT_TRUE(f);
  EXPECT_FALSE(z.has_value());
  EXPECT_EQ(l, (std::vector<std::uint64_t>{1, 2}));
}

TEST(FieldReader, KeepsTheFirstErrorWithTheCallersCodeAndReadsNothingAfter) {
  auto doc = map({{"n", t("seven")}, {"s", u(3)}, {"m", u(9)}});
  FieldErrors errors(Code::BAD_CATALOGUE);
  FieldReader<Node> r(errors, Node(doc.get()), "series[3]");
  std::uint64_t n = 0, m = 0;
  std::string s;
  r.uint("n", n);
  r.text("s", s, {});
  r.uint("m", m);
  const Status st = r.status();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Code::BAD_CATALOGUE);
  EXPECT_EQ(st.error().detail, "series[3].n: not an unsigned integer");
  EXPECT_EQ(m, 0u);  // read after the error: untouched
}

TEST(FieldReader, NamesMissingUnknownAndOutOfRangeFieldsInTheCallersWording) {
  auto doc = map({{"level", u(7)}, {"nick", t("x")}});
  Wording w;
  w.notUint = "not a non-negative integer";
  {
    FieldErrors errors(Code::INVALID_ARGUMENT, w);
    FieldReader<Node> r(errors, Node(doc.get()), "person");
    r.onlyKeys({"level"});
    EXPECT_EQ(r.status().error().detail, "person.nick: unknown field");
  }
  {
    FieldErrors errors(Code::INVALID_ARGUMENT, w);
    FieldReader<Node> r(errors, Node(doc.get()), "person");
    std::uint64_t level = 0;
    r.uintIn("level", 1, 5, level);
    EXPECT_EQ(r.status().error().detail, "person.level: 7 is not 1..5");
  }
  {
    FieldErrors errors(Code::INVALID_ARGUMENT, w);
    FieldReader<Node> r(errors, Node(doc.get()), "");
    std::uint64_t code = 0;
    r.uint("code", code);
    EXPECT_EQ(r.status().error().detail, "code: missing");
  }
}

TEST(FieldReader, RejectsANodeThatIsNotAMapAndTextThatBreaksItsRule) {
  auto list = arr({});
  FieldErrors notMap(Code::BAD_BUNDLE);
  FieldReader<Node> r(notMap, Node(list.get()), "");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().error().detail, "(root): not an object");

  auto doc = map({{"empty", t("")}, {"long", t("abcdef")}, {"bad", t("\xc3\x28")}});
  auto detail = [&](std::string_view key, const TextRule& rule) {
    FieldErrors errors(Code::BAD_BUNDLE);
    FieldReader<Node> row(errors, Node(doc.get()), "r");
    std::string out;
    row.text(key, out, rule);
    return errors.ok() ? std::string("ok") : errors.status().error().detail;
  };
  EXPECT_EQ(detail("empty", {}), "r.empty: empty");
  TextRule mayBeEmpty;
  mayBeEmpty.allowEmpty = true;
  TextRule short4;
  short4.maxBytes = 4;
  EXPECT_EQ(detail("empty", mayBeEmpty), "ok");
  EXPECT_EQ(detail("long", short4), "r.long: longer than 4 bytes");
  EXPECT_EQ(detail("bad", {}), "r.bad: not valid UTF-8");
}

TEST(FieldReader, MakesAPathOnlyForTheErrorItRecords) {
  int made = 0;
  auto path = [&] {
    ++made;
    return std::string("rows[2].code");
  };
  FieldErrors errors(Code::BAD_CATALOGUE);
  std::uint64_t n = 0;
  std::string s;
  bool f = false;
  auto good = map({{"n", u(7)}, {"s", t("x")}, {"f", b(true)}, {"l", arr({u(1)})}});
  const Node row(good.get());
  EXPECT_TRUE(readUint(errors, *row.find("n"), path, n));
  EXPECT_TRUE(readText(errors, *row.find("s"), path, s, {}));
  EXPECT_TRUE(readBool(errors, *row.find("f"), path, f));
  EXPECT_TRUE(checkArray(errors, *row.find("l"), path, 4));
  EXPECT_EQ(made, 0);  // valid values: no path text built

  EXPECT_FALSE(readUint(errors, *row.find("s"), path, n));
  EXPECT_EQ(made, 1);
  EXPECT_EQ(errors.status().error().detail, "rows[2].code: not an unsigned integer");
  EXPECT_FALSE(readText(errors, *row.find("n"), path, s, {}));
  EXPECT_EQ(made, 1);  // after the first error nothing is read or worded
}

TEST(FieldReader, NamesTheItemOfAPlainListThatIsWrong) {
  auto doc = map({{"codes", arr({u(1), t("two"), u(3)})}});
  FieldErrors errors(Code::BAD_CATALOGUE);
  FieldReader<Node> r(errors, Node(doc.get()), "series[0]");
  std::vector<std::uint64_t> codes;
  r.valueItems("codes", r.array("codes", 8), codes,
               [&](const Node& v, const auto& at, std::uint64_t& out) { readUint(errors, v, at, out); });
  ASSERT_FALSE(errors.ok());
  EXPECT_EQ(errors.status().error().detail, "series[0].codes[1]: not an unsigned integer");
  EXPECT_EQ(codes, (std::vector<std::uint64_t>{1}));
}

}  // namespace
}  // namespace titlecert::fields
