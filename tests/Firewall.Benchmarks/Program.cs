using BenchmarkDotNet.Running;
using Firewall.Benchmarks;

// `ruleset OUT.yaml [--sg-rules N] [--nacl-rules N]` writes the benchmark ruleset; anything else runs BenchmarkDotNet.
if (args.Length >= 2 && args[0] == "ruleset")
{
    var sgRules = OptionValue(args, "--sg-rules", 50);
    var naclRules = OptionValue(args, "--nacl-rules", 20);
    File.WriteAllText(args[1], BenchRuleset.Yaml(sgRules, naclRules));
    Console.Error.WriteLine($"wrote {args[1]}: 3 subnets, 10 interfaces, 5 groups of {sgRules} rules per direction, NACLs of {naclRules} rules per direction");
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(BenchRuleset).Assembly).Run(args);
return 0;

static int OptionValue(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
