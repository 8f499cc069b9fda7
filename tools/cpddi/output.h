#pragma once

// Text helpers the subcommands share for what they print: table columns and XML/SVG escaping.

#include <cstddef>
#include <string>

namespace cpddi::tool {

// `text` padded with spaces to `width` columns (UTF-8: "§" is one column, two bytes).
std::string pad(const std::string& text, std::size_t width);

// `text` with & < > " ' replaced by their XML entities (JUnit XML, SVG).
std::string xml_escape(const std::string& text);

}  // namespace cpddi::tool
