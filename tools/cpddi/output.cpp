#include "output.h"

namespace cpddi::tool {

std::string pad(const std::string& text, std::size_t width) {
  std::size_t columns = 0;
  for (unsigned char c : text) {
    columns += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return columns >= width ? text : text + std::string(width - columns, ' ');
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace cpddi::tool
