// Every conform/ case (the ones `cpddi conform` runs against any driver) as its own CTest test,
// run against cpddi's own driver (linked statically: OpenAdapter and
// cpddi_open_adapter_with_options). Each must pass; a skip fails unless listed below with why.
#include <algorithm>
#include <memory>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "conform/conform.h"
#include "conform/d3d11_front_end.h"
#include "conform/d3d9_front_end.h"
#include "conform/driver_api.h"
#include "cpddi/cpddi.h"

namespace cpddi::conform {
namespace {

// Cases allowed to skip against cpddi's default driver: cpddi advertises every optional cap and
// exports cpddi_open_adapter_with_options, so every case runs but the one about pfnSetErrorCb,
// which D3D9 has not.
const std::set<std::string_view> kD3d9Skips = {"errors.void-entries-report-by-the-rules"};

// Through the D3D11.1 front end, the cases whose whole subject is an argument only the D3D9 DDI
// has (docs/conform.md, "Two DDIs, one catalogue"): GetCaps' Type and DataSize and its all-zero
// CryptoType, an adapter handle to ask caps through, GetPitch, and a resource in the caller's
// memory (pSysMem). Every other case must run and pass.
const std::set<std::string_view> kD3d11Skips = {
    "caps.all-zero-crypto-type",       "caps.larger-data-size",
    "caps.too-small-data-size",        "caps.unknown-type",
    "caps.bad-adapter-handle",         "session.get-pitch-without-key",
    "resource.caller-memory-in-place", "resource.get-pitch-errors",
    "decrypt.caller-memory-source"};

std::string camel_name(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// One case's verdict against cpddi: a pass, or a skip that `skip_allowed` accepts.
void expect_passes(Runner& runner, const Case& c,
                   bool (*skip_allowed)(const Case&, const Verdict&)) {
  SCOPED_TRACE(std::string(c.id) + " — " + c.rule + " (" + c.section + ")");
  const Verdict v = runner.run(c);
  switch (v.outcome) {
    case Outcome::kPass: break;
    case Outcome::kFail:
      ADD_FAILURE() << c.id << " failed: expected " << v.expected << ", got " << v.got;
      break;
    case Outcome::kSkip:
      EXPECT_TRUE(skip_allowed(c, v))
          << c.id << " skipped unexpectedly: " << v.reason;
      break;
    default: ADD_FAILURE() << c.id << ": " << verdict_label(v) << ": " << verdict_detail(v);
  }
}

bool d3d9_skip(const Case& c, const Verdict&) { return kD3d9Skips.contains(c.id); }

// On the D3D11.1 front end the listed cases skip, and only with that front end's reason.
bool d3d9_only_row(const Case& c, const Verdict& v) {
  return kD3d11Skips.contains(c.id) && v.reason.starts_with("the d3d11 front end: ");
}

// One runner per DDI, opened once for all its cases (as `cpddi conform` does).
template <class Ddi>
class CaseFixture : public ::testing::TestWithParam<const Case*> {
 protected:
  static void SetUpTestSuite() { runner_ = new Runner(Ddi::driver()); }
  static void TearDownTestSuite() {
    delete runner_;
    runner_ = nullptr;
  }
  static Runner& runner() { return *runner_; }

 private:
  static inline Runner* runner_ = nullptr;
};

struct D3d9Ddi {
  static Driver driver() { return Driver{&OpenAdapter, &cpddi_open_adapter_with_options}; }
};
struct D3d11Ddi {
  static Driver driver() {
    return Driver(std::make_shared<D3d11FrontEnd>(&cpddi_d3d11_1_open_adapter));
  }
};

using ConformCaseTest = CaseFixture<D3d9Ddi>;
using ConformD3d11CaseTest = CaseFixture<D3d11Ddi>;

TEST_P(ConformCaseTest, PassesAgainstCpddi) {
  expect_passes(runner(), *GetParam(), &d3d9_skip);
}

// The same catalogue through the D3D11.1 video DDI, driven by the test runtime (issue 12 item 5).
TEST_P(ConformD3d11CaseTest, PassesAgainstCpddi) {
  expect_passes(runner(), *GetParam(), &d3d9_only_row);
}

std::vector<const Case*> case_pointers() {
  std::vector<const Case*> out;
  for (const Case& c : all_cases()) {
    out.push_back(&c);
  }
  return out;
}

std::string case_test_name(const ::testing::TestParamInfo<const Case*>& row) {
  return camel_name(row.param->id);
}

INSTANTIATE_TEST_SUITE_P(Cases, ConformCaseTest, ::testing::ValuesIn(case_pointers()),
                         &case_test_name);
INSTANTIATE_TEST_SUITE_P(Cases, ConformD3d11CaseTest, ::testing::ValuesIn(case_pointers()),
                         &case_test_name);

// ---- The registry itself ----

TEST(ConformRegistryTest, IdsAreUniqueWellFormedAndDocumented) {
  std::set<std::string> ids;
  std::set<std::string> names;
  ASSERT_GE(all_cases().size(), 40u);
  for (const Case& c : all_cases()) {
    const std::string id = c.id;
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
    EXPECT_TRUE(names.insert(camel_name(id)).second) << "test names collide for " << id;
    EXPECT_EQ(std::count(id.begin(), id.end(), '.'), 1) << id << ": <group>.<rule>";
    for (char ch : id) {
      EXPECT_TRUE((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.')
          << id << ": lowercase, digits and dashes only";
    }
    EXPECT_FALSE(std::string(c.rule).empty()) << id;
    EXPECT_NE(std::string(c.section).find_first_of("§A"), std::string::npos) << id;
    EXPECT_EQ(std::string(c.rule).find('\n'), std::string::npos) << id << ": one-line rule";
    EXPECT_EQ(find_case(id), &c);
  }
}

TEST(ConformRegistryTest, EveryIdTheFaultyDriversBreakExists) {
  // The contract with tests/faulty (notes/issue3_context.md): each faulty driver breaks one of
  // these rules and `cpddi conform` must name exactly that case.
  for (const char* id :
       {"refresh.finish-applies-xor", "refresh.start-random", "refresh.start-size",
        "refresh.finish-without-start", "refresh.session-independence", "readback.iv-unique",
        "resource.protected-lock-refused", "session.destroyed-handle-rejected",
        "decrypt.nist-vector"}) {
    EXPECT_NE(find_case(id), nullptr) << id;
  }
}

TEST(ConformFilterTest, SubstringAndGlobSelectCases) {
  EXPECT_TRUE(matches_filter("", "refresh.start-size"));
  EXPECT_TRUE(matches_filter("start-size", "refresh.start-size"));
  EXPECT_FALSE(matches_filter("start-sizes", "refresh.start-size"));
  EXPECT_TRUE(matches_filter("refresh.*", "refresh.start-size"));
  EXPECT_FALSE(matches_filter("refresh.*", "decrypt.nist-vector"));
  EXPECT_TRUE(matches_filter("*.start-?ize", "refresh.start-size"));
  EXPECT_FALSE(matches_filter("refresh", "decrypt.nist-vector"));
  EXPECT_FALSE(matches_filter("*.start", "refresh.start-size")) << "a glob matches the whole id";
}

// A driver whose OpenAdapter fails: every case fails (none crashes, none passes, none skips
// silently), with the failing call named.
HRESULT APIENTRY failing_open_adapter(D3DDDIARG_OPENADAPTER*) { return E_OUTOFMEMORY; }

TEST(ConformRunnerTest, BrokenDriverFailsEveryCaseWithoutCrashing) {
  Runner runner(Driver{&failing_open_adapter, nullptr});
  const std::vector<CaseResult> results = runner.run_all("session.");
  ASSERT_FALSE(results.empty());
  for (const CaseResult& r : results) {
    EXPECT_EQ(r.verdict.outcome, Outcome::kFail) << r.test_case->id;
    EXPECT_NE(r.verdict.expected.find("OpenAdapter"), std::string::npos) << r.verdict.expected;
    EXPECT_EQ(r.verdict.got, "E_OUTOFMEMORY");
  }
}

// A driver whose adapter table is empty: a null entry is a failure naming it, not a crash.
D3DDDI_ADAPTERFUNCS* g_unused = nullptr;
HRESULT APIENTRY null_table_open_adapter(D3DDDIARG_OPENADAPTER* open) {
  open->hAdapter = reinterpret_cast<HANDLE>(0x1234);
  g_unused = open->pAdapterFuncs;  // left all-null
  return S_OK;
}

TEST(ConformRunnerTest, NullFunctionTableEntryIsAFailureNamingIt) {
  Runner runner(Driver{&null_table_open_adapter, nullptr});
  const Case* c = find_case("caps.get-caps");
  ASSERT_NE(c, nullptr);
  const Verdict v = runner.run(*c);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  EXPECT_NE(v.expected.find("pfnGetCaps"), std::string::npos) << v.expected;
  EXPECT_EQ(v.got, "null");
}

// A front end whose calls take no argument structs, as a D3D11 one may: cpddi through the D3D9
// front end, answering missing(kArgumentStructs) and refusing a null-struct open. Every case
// runs on it through the interface and none fails (a failure would be an adapter-level
// null-struct row that did not ask has_argument_structs). The crypto-session null-argument cases
// still run: each front end gives those entries a null form (call_with_null_argument_struct),
// so only the error-callback case, which D3D9 lacks, skips.
class NoArgumentStructsFrontEnd final : public FrontEnd {
 public:
  const char* name() const override { return "no-argument-structs"; }
  HRESULT code(Refusal refusal) const override { return d3d9_.code(refusal); }
  const char* missing(DdiRow row) const override {
    return row == DdiRow::kArgumentStructs ? "no argument structs" : d3d9_.missing(row);
  }
  bool can_open_with_options() const override { return d3d9_.can_open_with_options(); }
  HRESULT open_adapter(const CPDDI_ADAPTER_OPTIONS* options,
                       std::unique_ptr<AdapterCalls>* adapter) const override {
    return d3d9_.open_adapter(options, adapter);
  }
  HRESULT open_adapter_raw(HANDLE* adapter, bool null_funcs) const override {
    return d3d9_.open_adapter_raw(adapter, null_funcs);
  }
  HRESULT open_adapter_with_null_argument_struct() const override {
    ADD_FAILURE() << "a null-argument-struct OpenAdapter on a front end without argument structs";
    return E_FAIL;
  }

 private:
  D3d9FrontEnd d3d9_{&OpenAdapter, &cpddi_open_adapter_with_options};
};

TEST(ConformRunnerTest, FrontEndWithoutArgumentStructsSkipsOnlyThoseCases) {
  Runner runner(Driver(std::make_shared<NoArgumentStructsFrontEnd>()));
  std::set<std::string> skipped;
  for (const CaseResult& r : runner.run_all()) {
    EXPECT_NE(r.verdict.outcome, Outcome::kFail)
        << r.test_case->id << ": expected " << r.verdict.expected << ", got " << r.verdict.got;
    if (r.verdict.outcome == Outcome::kSkip) {
      skipped.insert(r.test_case->id);
    }
  }
  EXPECT_EQ(skipped, (std::set<std::string>{"errors.void-entries-report-by-the-rules"}));
}

}  // namespace
}  // namespace cpddi::conform
