// The terminal state file: its text form, its refusal of anything that is not
// a whole state, and an atomic write that a crash at any step leaves old or new.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "titlecert/terminal_state.h"

using namespace titlecert;
using terminal::State;
using terminal::WriteStep;
namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("titlecert_state_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void writeText(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

State sample(std::uint64_t version) {
  State s;
  s.bundleVersion = version;
  s.configVersion = version + 100;
  s.clockFloor = 1795737600 + static_cast<std::int64_t>(version);
  s.roots = {Bytes{0x30, 0x2a, static_cast<std::uint8_t>(version)}, Bytes{0x30, 0x59}};
  return s;
}

const std::string kGood =
    "titlecert-terminal-state 1\nbundle_version 7\nconfig_version 3\nclock_floor 1795737600\nroot 302a\nend\n";

}  // namespace

TEST(TerminalState, WrittenStateReadsBackEqual) {
  const auto path = (freshDir("roundtrip") / "state").string();
  ASSERT_TRUE(terminal::writeState(path, sample(7)).ok());
  auto back = terminal::readState(path);
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(*back, sample(7));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(TerminalState, MissingFileIsAFreshTerminal) {
  auto s = terminal::readState((freshDir("missing") / "state").string());
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->fresh());
  EXPECT_EQ(s->bundleVersion, 0u);
  EXPECT_EQ(s->clockFloor, 0);
}

TEST(TerminalState, GoodTextParses) {
  auto s = terminal::parse(kGood);
  ASSERT_TRUE(s.ok()) << s.error().detail;
  EXPECT_EQ(s->bundleVersion, 7u);
  EXPECT_EQ(s->configVersion, 3u);
  EXPECT_EQ(s->clockFloor, 1795737600);
  ASSERT_EQ(s->roots.size(), 1u);
}

TEST(TerminalState, CorruptOrOutOfRangeIsBadStateNeverZero) {
  const std::vector<std::string> bad = {
      "",
      "7\n",                                                            // the plain version file of --state alone
      "titlecert-terminal-state 1\nbundle_version 7\n",                 // cut short
      "titlecert-terminal-state 1\nbundle_version 18446744073709551616\nconfig_version 3\nclock_floor 1\nend\n",
      "titlecert-terminal-state 1\nbundle_version -1\nconfig_version 3\nclock_floor 1\nend\n",
      "titlecert-terminal-state 1\nbundle_version 7\nconfig_version 3\nclock_floor 9223372036854775808\nend\n",
      "titlecert-terminal-state 1\nbundle_version 7\nbundle_version 8\nconfig_version 3\nclock_floor 1\nend\n",
      "titlecert-terminal-state 1\nbundle_version 7x\nconfig_version 3\nclock_floor 1\nend\n",
      "titlecert-terminal-state 1\nbundle_version 7\nconfig_version 3\nclock_floor 1\nroot zz\nend\n",
      "titlecert-terminal-state 1\nbundle_version 7\nconfig_version 3\nclock_floor 1\nend\ngarbage\n",
  };
  const auto path = (freshDir("corrupt") / "state").string();
  for (const auto& text : bad) {
    writeText(path, text);
    auto s = terminal::readState(path);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.code(), Code::BAD_STATE) << text;
  }
}

// A crash before any step of the write — simulated by stopping there, the
// temp file left as it is — leaves the old state or the new, never a mix;
// and the next write goes through over the leftover temp file.
TEST(TerminalState, WriteInterruptedAtEveryStepLeavesOldOrNew) {
  const auto dir = freshDir("interrupted");
  for (auto step : {WriteStep::CreateTemp, WriteStep::WriteTemp, WriteStep::SyncTemp, WriteStep::Rename,
                    WriteStep::SyncFolder}) {
    const auto path = (dir / ("state" + std::to_string(static_cast<int>(step)))).string();
    ASSERT_TRUE(terminal::writeState(path, sample(7)).ok());
    EXPECT_FALSE(terminal::writeState(path, sample(8), step).ok());
    auto after = terminal::readState(path);
    ASSERT_TRUE(after.ok()) << static_cast<int>(step) << ": " << after.error().detail;
    const bool isNew = *after == sample(8);
    EXPECT_TRUE(*after == sample(7) || isNew) << static_cast<int>(step);
    // Before the rename the old state stands; from the rename on, the new.
    EXPECT_EQ(isNew, step == WriteStep::SyncFolder) << static_cast<int>(step);
    ASSERT_TRUE(terminal::writeState(path, sample(9)).ok());
    EXPECT_EQ(*terminal::readState(path), sample(9));
  }
}

TEST(TerminalState, InterruptedFirstWriteLeavesAFreshTerminal) {
  const auto path = (freshDir("first") / "state").string();
  EXPECT_FALSE(terminal::writeState(path, sample(1), WriteStep::Rename).ok());
  auto s = terminal::readState(path);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->fresh());
}
