// lathe::Error — the one error type the engine throws.
//
// Every failure the engine reports carries an ErrorCode that tests and the UI
// check (never the wording), plus a context string (the file, tensor or URL
// concerned). Cancellation is not an error: it is the separate type Cancelled.
#pragma once

#include <stdexcept>
#include <string>

namespace lathe {

enum class ErrorCode {
  InvalidArgument,  ///< bad value passed by the caller (size string, dtype name, ...)
  Io,               ///< the OS refused a read/write/open/rename
  NotFound,         ///< a file, tensor or key that should exist does not
  CorruptFile,      ///< a checkpoint/index/zip whose bytes do not follow its format
  UnsafePickle,     ///< a pickle asked for a global/opcode a state_dict never needs
  ConfigInvalid,    ///< config.json missing, not JSON, or with values of the wrong type
  UnsupportedArch,  ///< model_type/architecture Lathe has no implementation for
  MissingTensor,    ///< a tensor required by the model is absent
  ShapeMismatch,    ///< checkpoint and model disagree on a shape
  OutOfMemory,
  Network,
  Auth,
  Unsupported,      ///< a valid request Lathe does not (yet) implement
  Internal,
};

/// Stable lower-case name of a code ("corrupt_file"), used in JSON output.
const char* error_code_name(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, std::string context = {});
  ErrorCode code() const noexcept { return code_; }
  /// The file, tensor, URL, ... the error is about; may be empty.
  const std::string& context() const noexcept { return context_; }

 private:
  ErrorCode code_;
  std::string context_;
};

/// One line for a user from any exception: the message up to its first line
/// break, with a LibTorch backtrace ("Exception raised from …", "frame #…")
/// and c10's source-location suffixes removed; "" when the text is empty.
std::string one_line_message(const std::string& what);

/// The current exception (call inside a catch block) as one user-facing line:
/// lathe::Error and std::exception through one_line_message, std::bad_alloc
/// as "out of memory", anything else as "unexpected error".
std::string current_exception_line();

/// Raised by long operations whose CancelToken/progress sink asked them to stop.
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "cancelled"; }
};

}  // namespace lathe
