using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Rulesets;

// Usage: Embedding CAPTURE RULESET. Prints each denied packet and the rule that denied it.
var load = RulesetLoader.LoadFile(args[1]);
if (load.Ruleset is null)
{
    foreach (var diagnostic in load.Diagnostics)
    {
        Console.Error.WriteLine(diagnostic); // file:line:col: message
    }
    return 2;
}
var rules = RulesetCompiler.Compile(load.Ruleset);
var evaluator = new Evaluator(rules);

using var reader = new PacketReader(CaptureReader.Open(args[0]), new DecoderOptions());
var packet = new PacketInfo();   // one of each for the whole capture:
var result = new PacketResult(); // the loop allocates nothing per packet
while (reader.TryReadNext(ref packet))
{
    evaluator.Evaluate(in packet, ref result);
    if (result.Verdict == Verdict.Deny)
    {
        Console.WriteLine($"frame {result.Frame}: denied by {rules.Rules.Reference(result.RuleId)}");
    }
}
Console.WriteLine($"{evaluator.Counters.Denied} of {evaluator.Counters.Frames} packets denied");
return 0;
