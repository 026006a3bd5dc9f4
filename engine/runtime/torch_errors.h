// The engine boundary for LibTorch errors (torch-free header).
//
// A c10::Error's what() carries a C++ backtrace; no user may see it. Entry
// points that run LibTorch code (forward, load, save, surgery, quantization)
// wrap their body in guarded(): lathe::Error and Cancelled pass through, any
// other exception becomes one lathe::Error naming the operation, the module
// whose forward failed (when one did) and the file or model concerned.
#pragma once

#include "core/error.h"

#include <string>
#include <utility>

namespace lathe {

/// Call inside a catch block: throws the current exception translated (see above).
[[noreturn]] void rethrow_as_lathe_error(const std::string& operation, const std::string& context);

/// Forgets the module recorded by a failing forward (guarded() calls it first).
void clear_failed_module();
/// Records `type_name` as the module whose forward threw, unless one is already
/// recorded (the innermost module unwinds first). Called by nn::ForwardScope.
void note_failed_module(const std::string& type_name);

template <class F>
decltype(auto) guarded(const std::string& operation, const std::string& context, F&& f) {
  clear_failed_module();
  try {
    return std::forward<F>(f)();
  } catch (const Error&) {
    throw;
  } catch (const Cancelled&) {
    throw;
  } catch (...) {
    rethrow_as_lathe_error(operation, context);
  }
}

}  // namespace lathe
