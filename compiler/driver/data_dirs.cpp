// Finding the data folders from the running program; see data_dirs.h.
#include "compiler/driver/data_dirs.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

// The installed data folder relative to the installed program, set by CMake from
// CMAKE_INSTALL_BINDIR and CMAKE_INSTALL_DATADIR (a relative path, never a source path).
#ifndef POL_DATA_FROM_BIN
#define POL_DATA_FROM_BIN "../share/pol"
#endif

namespace pol {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> candidates(const std::string& sub) {
  if (const char* home = std::getenv("POL_HOME"); home && *home) return {fs::path(home) / sub};
  std::vector<fs::path> out;
  const std::string dir = program_dir();
  if (dir.empty()) return out;
  out.push_back(fs::path(dir) / "share" / "pol" / sub);
  out.push_back((fs::path(dir) / POL_DATA_FROM_BIN / sub).lexically_normal());
  return out;
}

}  // namespace

std::string program_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  return exe.parent_path().string();
}

std::string find_data_dir(const std::string& sub) {
  for (const fs::path& p : candidates(sub)) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) return p.string();
  }
  return {};
}

std::string data_dir_candidates(const std::string& sub) {
  if (const char* home = std::getenv("POL_HOME"); home && *home)
    return "$POL_HOME/" + sub + " (POL_HOME=" + home + ")";
  std::string out;
  for (const fs::path& p : candidates(sub)) out += (out.empty() ? "" : ", ") + p.string();
  return out.empty() ? "nowhere: the program's own path cannot be read" : out;
}

}  // namespace pol
