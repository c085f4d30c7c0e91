using System.IO.Pipes;
using Firewall.Capture.Reading;

namespace Firewall.Capture.Tests.Reading;

/// <summary>A capture piped in gets a larger pipe on Linux; nothing else is touched.</summary>
public class PipeBufferTests
{
    private static int MaxPipeSize() =>
        int.Parse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    [SkippableFact]
    public void A_pipe_grows_to_the_preferred_size_or_the_system_ceiling_and_never_shrinks()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "pipe sizes are a Linux feature (F_SETPIPE_SZ)");
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        var fd = (int)pipe.SafePipeHandle.DangerousGetHandle();

        var size = PipeBuffer.Widen(fd);

        // The default is 64 KiB; an unprivileged process may go up to pipe-max-size (1 MiB unless changed).
        var expected = Math.Min(PipeBuffer.Preferred, MaxPipeSize());
        Assert.True(size >= expected / 2 && size > 65536, $"pipe size {size}, expected about {expected}");
        Assert.Equal(size, PipeBuffer.Widen(fd));

        // Data still flows through it.
        using var writer = new AnonymousPipeClientStream(PipeDirection.Out, pipe.ClientSafePipeHandle);
        writer.Write([1, 2, 3]);
        writer.Flush();
        var read = new byte[3];
        pipe.ReadExactly(read);
        Assert.Equal([1, 2, 3], read);
    }

    [SkippableFact]
    public void A_regular_file_is_left_alone()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "pipe sizes are a Linux feature (F_SETPIPE_SZ)");
        var path = Path.GetTempFileName();
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read);
            Assert.Equal(-1, PipeBuffer.Widen((int)file.SafeFileHandle.DangerousGetHandle()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
