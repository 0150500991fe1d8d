#include "cli/commands.h"
namespace pol::cli {
void register_eval(CLI::App& app, Registry& reg) { (void)app; (void)reg; }
}  // namespace pol::cli
