#include "core/error.h"

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

Error::Error(ErrorCode code, std::string message, std::string context)
    : std::runtime_error(compose(message, context)), code_(code), context_(std::move(context)) {}

}  // namespace lathe
