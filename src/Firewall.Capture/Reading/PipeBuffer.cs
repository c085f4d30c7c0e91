using System.Runtime.InteropServices;

namespace Firewall.Capture.Reading;

/// <summary>
/// A Linux pipe holds 64 KiB by default, so a capture piped in (<c>tcpdump -w - | firewall check -</c>) or a
/// report piped out (<c>--packets --format jsonl | jq</c>) moves 64 KiB at a time, and every step wakes one
/// side and puts the other to sleep. A larger buffer lets the writer run ahead and each read take more
/// (docs/performance.md: 1.2–1.35× faster end to end). Elsewhere, or for anything but a pipe, nothing changes.
/// </summary>
public static partial class PipeBuffer
{
    /// <summary>The size asked for first: Linux's default ceiling for unprivileged processes (/proc/sys/fs/pipe-max-size).</summary>
    public const int Preferred = 1 << 20;

    private const int SetPipeSize = 1031; // F_SETPIPE_SZ
    private const int GetPipeSize = 1032; // F_GETPIPE_SZ

    /// <summary>
    /// Grows the pipe behind file descriptor <paramref name="fd"/> to <see cref="Preferred"/>, or to the largest
    /// half of it the system allows this process; never shrinks it.
    /// </summary>
    /// <returns>The pipe's size afterwards, or -1 when <paramref name="fd"/> is not a pipe or this is not Linux.</returns>
    public static int Widen(int fd)
    {
        var size = SizeOf(fd); // -1 unless a pipe on Linux, where fcntl has then been found
        // Past pipe-max-size, or past the user's total of pipe pages, Linux refuses (EPERM): try half as much.
        for (var wanted = Preferred; size >= 0 && wanted > size; wanted /= 2)
        {
            var set = Fcntl(fd, SetPipeSize, wanted);
            if (set >= 0)
            {
                return set;
            }
        }
        return size;
    }

    /// <summary>The size of the pipe behind <paramref name="fd"/>, or -1 when it is not a pipe or this is not Linux.</summary>
    public static int SizeOf(int fd)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }
        try
        {
            return Math.Max(-1, Fcntl(fd, GetPipeSize, 0));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);
}
