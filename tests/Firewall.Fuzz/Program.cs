using SharpFuzz;

namespace Firewall.Fuzz;

/// <summary>
/// <c>Firewall.Fuzz TARGET</c> runs one target under afl-fuzz (SharpFuzz's AFL forkserver protocol);
/// <c>Firewall.Fuzz TARGET --replay FILE...</c> runs files through it directly, to reproduce and minimise
/// a crash without the fuzzer. Targets: see <see cref="FuzzTargets.All"/>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: Firewall.Fuzz TARGET [--replay FILE...]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
            return 2;
        }
        if (args.Length > 1 && args[1] == "--replay")
        {
            var failed = 0;
            foreach (var file in args.Skip(2))
            {
                try
                {
                    target(File.ReadAllBytes(file));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A replay reports every crashing file, then fails; the fuzzer itself sees the exception unhandled.
                    failed++;
                    Console.Error.WriteLine($"{file}: {ex}");
                }
            }
            return failed == 0 ? 0 : 1;
        }
        // Out of process: a stack overflow or a fail-fast in the target is a crash the fuzzer sees, not a dead fuzzer.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }
}
