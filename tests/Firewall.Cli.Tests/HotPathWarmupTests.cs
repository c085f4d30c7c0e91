using System.Runtime.CompilerServices;
using Firewall.Runs;

namespace Firewall.Cli.Tests;

/// <summary>The warm-up compiles the per-packet methods ahead of their first call, and can compile every one it finds.</summary>
public sealed class HotPathWarmupTests
{
    [Fact]
    public void The_warm_up_finds_the_per_packet_methods_of_reading_evaluating_and_running()
    {
        var names = HotPathWarmup.HotMethods().Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToHashSet();
        Assert.Contains("PacketReader.TryReadNext", names);
        Assert.Contains("PacketDecoder.Decode", names);
        Assert.Contains("CaptureReader.TryReadNext", names);
        Assert.Contains("Evaluator.Evaluate", names);
        Assert.Contains("CaptureRun.Evaluate", names);
        Assert.Contains("ShardedCaptureRun.EvaluateShard", names);
        // Nothing else: only what is marked to skip the precompiled code.
        Assert.All(HotPathWarmup.HotMethods(), m => Assert.True(
            (m.MethodImplementationFlags & System.Reflection.MethodImplAttributes.AggressiveOptimization) != 0, m.Name));
    }

    [Fact]
    public void Every_method_it_finds_can_be_compiled_ahead()
    {
        foreach (var method in HotPathWarmup.HotMethods())
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
    }
}
