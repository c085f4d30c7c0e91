using System.CommandLine;
using Firewall.Cli.Running;
using Firewall.Engine.Packets;
using Firewall.Reporting.Decode;

namespace Firewall.Cli.Commands;

/// <summary><c>firewall decode CAPTURE</c>: every frame as the decoder sees it, one row each (docs/decode-fields.md).</summary>
internal static class DecodeCommand
{
    public static Command Create(CliConsole console)
    {
        var capture = new Argument<string>("CAPTURE")
        {
            Description = "pcap or pcapng file, optionally gzip-compressed; '-' reads standard input as a stream",
        };
        var format = OptionWords.DecodeFormat.Option("--format", "csv (default) or jsonl", defaulted: true, "-f");
        var decap = OptionWords.Decap.Option("--decap", "unwrap encapsulated traffic first: 'vxlan' (UDP 4789)", defaulted: false);
        var output = new Option<string?>("--output", "-o") { Description = "write to FILE instead of standard output", HelpName = "FILE" };
        var command = new Command("decode", "Show every frame of a capture as the decoder reads it (addresses, ports, flags, decode errors).")
        {
            capture,
            format,
            decap,
            output,
        };
        command.SetAction(parse => Run(
            console,
            parse.GetValue(capture)!,
            parse.GetValue(format),
            parse.GetValue(decap) == Encapsulation.Vxlan,
            parse.GetValue(output)));
        return command;
    }

    private static int Run(CliConsole console, string capturePath, DecodeFormat format, bool vxlan, string? outputPath)
    {
        using var reader = Inputs.OpenCapture(capturePath, vxlan, console);
        if (reader is null)
        {
            return ExitCodes.BadInput;
        }
        using var output = Inputs.OpenOutput(outputPath, console);
        if (output is null)
        {
            return ExitCodes.BadInput;
        }
        using var text = Inputs.Text(output, 64 * 1024);
        try
        {
            DecodeWriter.Write((ref PacketInfo info) => reader.TryReadNext(ref info), text, format);
        }
        catch (IOException ex)
        {
            text.Flush();
            console.Error.WriteLine($"firewall: {capturePath}: reading stopped after frame {reader.Capture.FramesRead}: {ex.Message}");
            return ExitCodes.BadInput;
        }
        foreach (var warning in reader.Capture.Warnings.Select(w => w.ToString()).Concat(reader.Counts.Warnings()))
        {
            console.Error.WriteLine($"firewall: warning: {capturePath}: {warning}");
        }
        return ExitCodes.Ok;
    }
}
