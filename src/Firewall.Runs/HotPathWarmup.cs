using System.Reflection;
using System.Runtime.CompilerServices;
using Firewall.Capture;
using Firewall.Engine.Evaluation;

namespace Firewall.Runs;

/// <summary>
/// The per-packet methods are marked <see cref="MethodImplOptions.AggressiveOptimization"/>: they skip the
/// precompiled code and are compiled, fully optimized, on their first call, which would otherwise happen on
/// the main thread after the ruleset is loaded. A command that evaluates a capture starts this first, so
/// they are compiled on another core while the main thread loads the ruleset (which the JIT keeps busy
/// too, with its own generic code). What it compiles is what the first call would; results cannot change.
/// </summary>
public static class HotPathWarmup
{
    public static void Start()
    {
        var thread = new Thread(Prepare) { IsBackground = true, Name = "firewall warm-up" };
        thread.Start();
    }

    /// <summary>Every method marked for full optimization in the reading, evaluating and running code.</summary>
    public static IEnumerable<MethodInfo> HotMethods()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var assembly in new[] { typeof(PacketReader).Assembly, typeof(Evaluator).Assembly, typeof(HotPathWarmup).Assembly })
        {
            foreach (var type in assembly.GetTypes())
            {
                if (type.ContainsGenericParameters)
                {
                    continue;
                }
                foreach (var method in type.GetMethods(all))
                {
                    var optimized = (method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0;
                    if (optimized && !method.IsAbstract && !method.ContainsGenericParameters)
                    {
                        yield return method;
                    }
                }
            }
        }
    }

    private static void Prepare()
    {
        try
        {
            foreach (var method in HotMethods())
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
        catch (Exception)
        {
            // Only a head start: whatever is not compiled here is compiled on first call, as without it.
        }
    }
}
