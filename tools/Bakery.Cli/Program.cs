using System.CommandLine;
using Bakery.Cli.Commands;

var root = new RootCommand("Bakery: packer build without a build host.");
// Each command lives in Commands/ and is added here, one line each.
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(InvokeCommand.Create());
root.Subcommands.Add(BuildCommand.Create());
root.Subcommands.Add(LocalCommand.Create());
root.Subcommands.Add(BuildsCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
// Commands handle SIGINT/SIGTERM themselves (build cleans up, local serve stops what it started): no forced exit after 2 s.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
