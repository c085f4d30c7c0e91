using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Firewall.Tests.Support;
using Xunit.Abstractions;

namespace Firewall.Cli.Tests;

/// <summary>
/// <c>tcpdump -w - | firewall check - --packets</c>: with a live capture trickling into a real pipe, each
/// packet's record comes out while the capture is still being written, not at the end or when a buffer fills.
/// </summary>
public partial class LivePipeTests(ITestOutputHelper output)
{
    private const int PeriodMs = 50;

    /// <summary>Within 200 ms: the record of packet k must be out before packet k + 4 is written.</summary>
    private const int PacketsOfSlack = 200 / PeriodMs;

    [Theory]
    [InlineData("jsonl")]
    [InlineData("text")]
    [InlineData("csv")]
    public async Task Each_record_follows_its_packet_through_a_slow_pipe(string format)
    {
        using var dir = new TempDir();
        var flows = dir.File("flows.yaml");
        File.WriteAllText(flows, "flows:\n  - { flow: \"tcp 198.51.100.7:* -> web-1:80\", exchange: full, count: 3 }\n"
            + "  - { flow: \"udp web-1:* -> 198.51.100.7:53\", exchange: request-reply, count: 3 }\n");
        var ruleset = Repository.PathOf("rulesets/web-tier.yaml");
        var capture = dir.File("live.pcap");
        Assert.Equal(0, InProcessCli.Run("synth", flows, "-r", ruleset, "-o", capture, "-q").ExitCode);
        var (header, records) = Split(File.ReadAllBytes(capture));

        using var process = Start("check", "-", "--ruleset", ruleset, "--packets", "--format", format, "--quiet");
        var written = 0; // packets written to the pipe so far, read by the thread that reads the output
        var seenAt = new List<int>(); // for each packet record, in order: how many packets had been written when it came out
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (FrameOf(line, format) is not null)
                {
                    lock (seenAt)
                    {
                        seenAt.Add(Volatile.Read(ref written));
                    }
                }
            }
        });
        var input = process.StandardInput.BaseStream;
        await input.WriteAsync(header);
        // After the packets, copies of the last one, so that every packet has PacketsOfSlack + 1 successors to
        // be measured against: a record that came out only at the end of input shows as late.
        var sent = records.Concat(Enumerable.Repeat(records[^1], PacketsOfSlack + 1)).ToList();
        for (var k = 0; k < sent.Count; k++)
        {
            await input.WriteAsync(sent[k]);
            await input.FlushAsync();
            Volatile.Write(ref written, k + 1);
            if (k == 0)
            {
                // The first record also waits for the process to start and compile: wait for it before pacing.
                while (Count(seenAt) == 0 && !reading.IsCompleted)
                {
                    await Task.Delay(2);
                }
            }
            await Task.Delay(PeriodMs);
        }
        input.Close();
        await reading;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);

        Assert.Equal(sent.Count, seenAt.Count);
        for (var k = 0; k < records.Count; k++)
        {
            Assert.True(seenAt[k] <= k + 1 + PacketsOfSlack,
                $"{format}: the record of packet {k + 1} came out only after {seenAt[k]} packets had been written, {PeriodMs} ms apart");
        }
        output.WriteLine($"{format}: {records.Count} packets {PeriodMs} ms apart; each record out before packet +{seenAt.Select((n, k) => n - (k + 1)).Max()} was written");
    }

    private static int Count(List<int> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    private static string? FrameOf(string line, string format) => format switch
    {
        "jsonl" => JsonFrame().Match(line) is { Success: true } m ? m.Groups[1].Value : null,
        "csv" => CsvFrame().Match(line) is { Success: true } m ? m.Groups[1].Value : null,
        _ => TextFrame().Match(line) is { Success: true } m ? m.Groups[1].Value : null,
    };

    [GeneratedRegex("^\\{\"type\":\"packet\",\"frame\":(\\d+),")]
    private static partial Regex JsonFrame();

    [GeneratedRegex("^(\\d+),")]
    private static partial Regex CsvFrame();

    [GeneratedRegex("^ +(\\d+) \\d{4}-")]
    private static partial Regex TextFrame();

    /// <summary>A classic pcap file as its 24-byte header and its records (16-byte record header and data each).</summary>
    private static (byte[] Header, List<byte[]> Records) Split(byte[] pcap)
    {
        var records = new List<byte[]>();
        for (var at = 24; at < pcap.Length;)
        {
            var length = 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(at + 8));
            records.Add(pcap[at..(at + length)]);
            at += length;
        }
        return (pcap[..24], records);
    }

    private static Process Start(params string[] args) =>
        ChildProcess.Start(ChildProcess.DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "firewall.dll"), .. args], input: true,
            configure: info => info.RedirectStandardError = false);
}
