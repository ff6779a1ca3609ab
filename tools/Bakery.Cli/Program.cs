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
return await root.Parse(args).InvokeAsync();
