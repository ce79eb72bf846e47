// A new catalogue may add and rename, never remove or repurpose a code.
#include <gtest/gtest.h>

#include "titlecert/catalogue_evolution.h"
#include "titlecert/catalogue_json.h"

using namespace titlecert;
using namespace titlecert::catalogue;

namespace {

const Catalogue& shipped() {
  static const Catalogue c = *loadDefault();
  return c;
}

Catalogue nextVersion() {
  Catalogue c = shipped();
  c.version = shipped().version + 1;
  return c;
}

}  // namespace

TEST(CatalogueEvolution, AddingAndRenamingIsAllowedWithNotes) {
  auto next = nextVersion();
  next.series[4].names.en = "Engineering technology";
  Specialty added;
  added.code = 599;
  added.names = {"新专业", "New specialty"};
  next.series[4].specialties.push_back(added);
  std::vector<std::string> notes;
  ASSERT_TRUE(checkSuccessor(shipped(), next, &notes).ok());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("series 5 renamed"), std::string::npos) << notes[0];
}

TEST(CatalogueEvolution, EachKindOfReuseIsRefused) {
  struct Case {
    const char* name;
    std::function<void(Catalogue&)> edit;
    const char* expectInDetail;
  };
  const std::vector<Case> cases = {
      {"same version", [](Catalogue& c) { c.version = shipped().version; }, "does not follow"},
      {"series removed", [](Catalogue& c) { c.series.pop_back(); }, "series 27"},
      {"specialty 501 removed", [](Catalogue& c) {
         auto& sp = c.series[4].specialties;
         sp.erase(sp.begin());
       }, "specialty 501"},
      {"route id changed", [](Catalogue& c) { c.routes[0].id = "evaluation"; }, "route 1"},
      {"qualification kind changed", [](Catalogue& c) {
         c.qualifications[0].kind = c.qualifications[0].kind == QualificationKind::Skill ? QualificationKind::Vocational
                                                                                        : QualificationKind::Skill;
       }, "qualification"},
      {"qualification level removed", [](Catalogue& c) { c.qualifications[0].levels.pop_back(); }, "level"},
      {"equivalence row repurposed", [](Catalogue& c) { c.equivalences[0].titleLevel += 1; }, "equivalence row"},
  };
  for (const auto& c : cases) {
    auto next = nextVersion();
    c.edit(next);
    auto s = checkSuccessor(shipped(), next);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.code(), Code::BAD_CATALOGUE) << c.name;
    EXPECT_NE(s.error().detail.find(c.expectInDetail), std::string::npos) << c.name << ": " << s.error().detail;
  }
}

TEST(CatalogueEvolution, WithdrawingAnEquivalenceRowIsAllowed) {
  auto next = nextVersion();
  next.equivalences.pop_back();
  EXPECT_TRUE(checkSuccessor(shipped(), next).ok());
}
