#include "bridge/error_text.h"

#include "bridge/job_runner.h"

#include <QCoreApplication>

namespace lathe::ui {

QString errorText(lathe::ErrorCode code) {
  using lathe::ErrorCode;
  switch (code) {
    case ErrorCode::InvalidArgument:
      return QCoreApplication::translate("ErrorText", "A value given to Lathe is not valid.");
    case ErrorCode::Io:
      return QCoreApplication::translate("ErrorText",
                                         "The file could not be read or written.");
    case ErrorCode::NotFound:
      return QCoreApplication::translate(
          "ErrorText", "No model weights were found at this location.");
    case ErrorCode::CorruptFile:
      return QCoreApplication::translate("ErrorText",
                                         "The checkpoint file is damaged or incomplete.");
    case ErrorCode::UnsafePickle:
      return QCoreApplication::translate(
          "ErrorText",
          "The PyTorch file contains code Lathe does not run for safety reasons.");
    case ErrorCode::ConfigInvalid:
      return QCoreApplication::translate("ErrorText",
                                         "The model configuration (config.json) is invalid.");
    case ErrorCode::UnsupportedArch:
      return QCoreApplication::translate("ErrorText",
                                         "This model architecture is not supported yet.");
    case ErrorCode::MissingTensor:
      return QCoreApplication::translate("ErrorText",
                                         "A tensor the model needs is missing from the checkpoint.");
    case ErrorCode::ShapeMismatch:
      return QCoreApplication::translate(
          "ErrorText", "A tensor in the checkpoint does not have the shape the model expects.");
    case ErrorCode::OutOfMemory:
      return QCoreApplication::translate("ErrorText", "There is not enough memory.");
    case ErrorCode::Network:
      return QCoreApplication::translate("ErrorText", "A network request failed.");
    case ErrorCode::Auth:
      return QCoreApplication::translate(
          "ErrorText", "Access was denied. Check your Hugging Face token.");
    case ErrorCode::Unsupported:
      return QCoreApplication::translate("ErrorText",
                                         "Lathe does not support this operation yet.");
    case ErrorCode::Internal:
      break;
  }
  return QCoreApplication::translate("ErrorText", "An internal error occurred in Lathe.");
}

QString errorText(const JobFailure& failure) {
  const QString sentence = errorText(failure.code);
  const QString cause = QString::fromStdString(lathe::one_line_message(failure.message.toStdString()));
  if (cause.isEmpty()) return sentence;
  return QCoreApplication::translate("ErrorText", "%1 %2").arg(sentence, cause);
}

QString errorCodeName(lathe::ErrorCode code) {
  return QString::fromLatin1(lathe::error_code_name(code));
}

QString errorDetails(const JobFailure& failure) {
  QString details = failure.message;
  details += QLatin1Char('\n');
  details += QCoreApplication::translate("ErrorText", "Error code: %1").arg(errorCodeName(failure.code));
  return details;
}

}  // namespace lathe::ui
