using System.Diagnostics;
using System.IO.Pipes;
using Firewall.Capture.Reading;
using Firewall.Tests.Support;

namespace Firewall.Cli.Tests;

/// <summary>
/// <c>tcpdump -w - | firewall check -</c>: the real process reading a capture from a real pipe (the in-process
/// runner hands it a memory stream) gives the same flows as reading the file, and on Linux both of its pipes
/// were widened to a mebibyte.
/// </summary>
public class PipeInputTests
{
    [Fact]
    public async Task A_capture_piped_into_the_process_gives_the_flows_of_the_file()
    {
        var capture = Repository.PathOf("samples/web-tier.pcapng");
        var ruleset = Repository.PathOf("rulesets/web-tier.yaml");
        var fromFile = InProcessCli.Run("check", capture, "--ruleset", ruleset, "--flows", "--format", "jsonl", "--threads", "2");
        Assert.Equal(0, fromFile.ExitCode);

        using var process = ChildProcess.Start(ChildProcess.DotnetHost(),
            [Path.Combine(AppContext.BaseDirectory, "firewall.dll"), "check", "-", "--ruleset", ruleset, "--flows", "--format", "jsonl", "--threads", "2"],
            input: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        int inputPipe;
        await using (var input = process.StandardInput.BaseStream)
        {
            // Written in pieces, as a live capture arrives.
            var bytes = File.ReadAllBytes(capture);
            for (var offset = 0; offset < bytes.Length; offset += 1000)
            {
                await input.WriteAsync(bytes.AsMemory(offset, Math.Min(1000, bytes.Length - offset)));
                await input.FlushAsync();
            }
            // The process widens the pipe when it opens "-" (Linux): wait for that before the end of input.
            inputPipe = await WidenedSize(input);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var error = await stderr;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {error}");

        static string[] Flows(string jsonl) => jsonl.Split('\n').Where(l => l.StartsWith("{\"type\":\"flow\"", StringComparison.Ordinal)).ToArray();
        var expected = Flows(fromFile.Out);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Flows(await stdout));

        if (OperatingSystem.IsLinux())
        {
            // Both pipes were widened past Linux's 64 KiB default: standard input when "-" was opened, output at start.
            Assert.True(inputPipe > DefaultPipeSize, $"standard input's pipe: {inputPipe} bytes");
            var outputPipe = PipeBuffer.SizeOf(FdOf(process.StandardOutput.BaseStream));
            Assert.True(outputPipe > DefaultPipeSize, $"standard output's pipe: {outputPipe} bytes");
        }
    }

    private const int DefaultPipeSize = 65536;

    private static async Task<int> WidenedSize(Stream pipe)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }
        var fd = FdOf(pipe);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (PipeBuffer.SizeOf(fd) <= DefaultPipeSize && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        return PipeBuffer.SizeOf(fd);
    }

    private static int FdOf(Stream stream) => stream switch
    {
        PipeStream pipe => (int)pipe.SafePipeHandle.DangerousGetHandle(),
        FileStream file => (int)file.SafeFileHandle.DangerousGetHandle(),
        _ => throw new InvalidOperationException($"not a pipe: {stream.GetType()}"),
    };
}
