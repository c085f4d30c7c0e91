using BenchmarkDotNet.Running;
using Firewall.Benchmarks;

// `ruleset OUT.yaml [--sg-rules N] [--nacl-rules N]` writes the benchmark ruleset; `split CAPTURE RULESET
// [--packets N] [--passes P]` times evaluation by kind of packet (EvaluationSplit); `floor CAPTURE RULESET
// [--rounds N]` times reading alone, reading with one flow probe, and full evaluation (Floors); anything
// else runs BenchmarkDotNet.
if (args.Length >= 2 && args[0] == "ruleset")
{
    var sgRules = OptionValue(args, "--sg-rules", 50);
    var naclRules = OptionValue(args, "--nacl-rules", 20);
    File.WriteAllText(args[1], BenchRuleset.Yaml(sgRules, naclRules));
    Console.Error.WriteLine($"wrote {args[1]}: 3 subnets, 10 interfaces, 5 groups of {sgRules} rules per direction, NACLs of {naclRules} rules per direction");
    return 0;
}
if (args.Length >= 3 && args[0] == "split")
{
    return EvaluationSplit.Run(args[1], args[2], OptionValue(args, "--packets", 2_000_000), OptionValue(args, "--passes", 3));
}
if (args.Length >= 3 && args[0] == "floor")
{
    return Floors.Run(args[1], args[2], OptionValue(args, "--rounds", 5));
}
BenchmarkSwitcher.FromAssembly(typeof(BenchRuleset).Assembly).Run(args);
return 0;

static int OptionValue(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}
