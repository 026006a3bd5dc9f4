// User-facing text for engine error codes. The engine cannot call tr(), so
// its messages stay English; the GUI shows a translated sentence chosen by
// the ErrorCode, and the engine's message as details.
#pragma once

#include "core/error.h"

#include <QString>

namespace lathe::ui {

struct JobFailure;

/// One translated sentence saying what went wrong ("The file is damaged ...").
QString errorText(lathe::ErrorCode code);
/// The headline for a failure: the translated sentence for its code followed
/// by the cause the engine gave, in one line ("The model configuration
/// (config.json) is invalid. config.json: 'n_head' is 0; …").
QString errorText(const JobFailure& failure);
/// The stable code name ("not_found"), shown so reports can quote it.
QString errorCodeName(lathe::ErrorCode code);
/// Details block for a message box: engine message, context and code.
QString errorDetails(const JobFailure& failure);

}  // namespace lathe::ui
