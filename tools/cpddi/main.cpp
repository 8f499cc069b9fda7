// cpddi — command-line front end: a table of subcommands, one file each.
#include <iostream>
#include <string>
#include <vector>

#include "cpddi/cpddi.h"
#include "subcommands.h"

int main(int argc, char** argv) {
  CLI::App app{"cpddi " + std::string(cpddi_version()) +
               " — Direct3D Content Protection DDI: crypto sessions with session-key refresh"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(cpddi_version()));
  app.footer("Exit status: 0 all good, 1 a check failed, 2 usage error.\n"
             "Environment: CPDDI_LOG_LEVEL (none|error|warn|info|debug|trace),\n"
             "CPDDI_IDENTITY_KEY / CPDDI_IDENTITY_CERT (PEM files pinning the driver identity).");

  struct Entry {
    CLI::App* command;
    cpddi::tool::Run run;
  };
  std::vector<Entry> commands;
  for (auto add : {&cpddi::tool::add_demo, &cpddi::tool::add_caps, &cpddi::tool::add_conform,
                   &cpddi::tool::add_bench}) {
    const std::size_t before = app.get_subcommands({}).size();
    cpddi::tool::Run run = add(app);
    commands.push_back({app.get_subcommands({})[before], std::move(run)});
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? cpddi::tool::kExitOk : cpddi::tool::kExitUsage;
  }
  for (const Entry& entry : commands) {
    if (entry.command->parsed()) {
      return entry.run();
    }
  }
  return cpddi::tool::kExitUsage;
}
