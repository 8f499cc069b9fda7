#pragma once

// What the cases_*.cpp files share: the harness, the session model, and each topic's case table
// (concatenated in report order by all_cases(), conform.cpp).

#include <span>

#include "conform/conform.h"
#include "conform/harness.h"
#include "conform/session.h"

namespace cpddi::conform {

// The case tables of each topic (cases_*.cpp), concatenated by all_cases().
std::span<const Case> caps_cases();
std::span<const Case> session_cases();
std::span<const Case> resource_cases();
std::span<const Case> blt_cases();
std::span<const Case> refresh_cases();

}  // namespace cpddi::conform
