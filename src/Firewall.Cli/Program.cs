using Firewall.Cli;

return FirewallCli.Run(args, CliConsole.FromSystem());
