// Replacing a whole folder atomically (public, torch-free).
//
// New files are written into a hidden staging folder next to the target
// (same filesystem). carry_over() brings the target's other files along by
// hard link. commit() swaps staging and target in one renameat2(RENAME_EXCHANGE)
// (or a rename when the target does not exist yet) and then deletes the old
// contents. Until commit() the target is untouched; a crash at any moment
// leaves either the old folder or the new one, never a mix. Staging folders
// left by a crashed process are removed by the next transaction on the target.
#pragma once

#include <functional>
#include <string>

namespace lathe {

class FolderTransaction {
 public:
  explicit FolderTransaction(std::string target);
  ~FolderTransaction();
  FolderTransaction(const FolderTransaction&) = delete;
  FolderTransaction& operator=(const FolderTransaction&) = delete;

  const std::string& target() const { return target_; }
  const std::string& staging() const { return staging_; }
  /// Path of `name` inside the staging folder.
  std::string file(const std::string& name) const;
  /// Links (else copies) every entry of the existing target for which keep(name)
  /// is true and which the staging folder does not already hold; recursive.
  void carry_over(const std::function<bool(const std::string& name)>& keep);
  void commit();

 private:
  std::string target_, staging_;
  bool committed_ = false;
};

}  // namespace lathe
