namespace Firewall.Robustness.Tests.Support;

/// <summary>Managed bytes allocated by the current thread while an action runs (GC.GetAllocatedBytesForCurrentThread).</summary>
internal static class Memory
{
    public const long MiB = 1024 * 1024;

    public static long Allocated(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    public static T Allocated<T>(Func<T> func, out long bytes)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = func();
        bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return result;
    }
}
