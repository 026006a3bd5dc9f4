#include "core/error.h"

#include <new>

namespace lathe {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::Io: return "io";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::CorruptFile: return "corrupt_file";
    case ErrorCode::UnsafePickle: return "unsafe_pickle";
    case ErrorCode::ConfigInvalid: return "config_invalid";
    case ErrorCode::UnsupportedArch: return "unsupported_arch";
    case ErrorCode::MissingTensor: return "missing_tensor";
    case ErrorCode::ShapeMismatch: return "shape_mismatch";
    case ErrorCode::OutOfMemory: return "out_of_memory";
    case ErrorCode::Network: return "network";
    case ErrorCode::Auth: return "auth";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

static std::string compose(const std::string& message, const std::string& context) {
  if (context.empty()) return message;
  return context + ": " + message;
}

std::string one_line_message(const std::string& what) {
  std::string s = what;
  // c10::Error::what(): "<msg>\nException raised from <fn> at <file>:<line> (most recent
  // call first):\nframe #0: ..." — keep the message.
  for (const char* marker : {"Exception raised from", "frame #"}) {
    auto p = s.find(marker);
    if (p != std::string::npos) s.erase(p);
  }
  auto nl = s.find_first_of("\r\n");
  if (nl != std::string::npos) s.erase(nl);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == ':')) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

std::string current_exception_line() {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return "out of memory";
  } catch (const std::exception& e) {
    std::string line = one_line_message(e.what());
    return line.empty() ? "unexpected error" : line;
  } catch (...) {
    return "unexpected error";
  }
}

Error::Error(ErrorCode code, std::string message, std::string context)
    : std::runtime_error(compose(message, context)), code_(code), context_(std::move(context)) {}

}  // namespace lathe
