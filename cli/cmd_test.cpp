#include "cli/commands.h"
namespace pol::cli {
void register_test(CLI::App& app, Registry& reg) { (void)app; (void)reg; }
}  // namespace pol::cli
