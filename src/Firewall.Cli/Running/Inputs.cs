using System.Text;
using Firewall.Capture;
using Firewall.Capture.Decoding;
using Firewall.Capture.Reading;
using Firewall.Engine.Compilation;
using Firewall.Flows.Definitions;
using Firewall.Flows.Loading;
using Firewall.Rulesets;
using Firewall.Rulesets.Import;

namespace Firewall.Cli.Running;

/// <summary>
/// Opens what a command reads and writes, turning every way it can be wrong into one message for a
/// person (<c>firewall: what: why</c>, or the loader's <c>file:line:col: message</c> lines). Each method
/// returns null and has printed the message when the input is unusable.
/// </summary>
internal static class Inputs
{
    /// <summary>
    /// The ruleset at <paramref name="path"/>: a ruleset file, or with <paramref name="allowImport"/> a
    /// Terraform plan or AWS describe-* output (a file, or a directory of them), imported as
    /// <c>firewall import</c> would, its warnings printed.
    /// <paramref name="origins"/>, when given, receives where each imported network ACL came from (none for a ruleset file).
    /// </summary>
    public static CompiledRuleset? LoadRuleset(string path, TextWriter error, bool allowImport = true, Dictionary<string, AclOrigin>? origins = null)
    {
        var source = allowImport ? RulesetSources.Load(path) : new RulesetSourceResult(RulesetLoader.LoadFile(path), [], null);
        foreach (var (acl, origin) in source.AclOrigins)
        {
            origins?.TryAdd(acl, origin);
        }
        foreach (var note in source.ImportNotes.Where(n => n.Severity != Rulesets.Import.ImportSeverity.Info))
        {
            error.WriteLine(note.ToString());
        }
        var result = source.Load;
        foreach (var d in result.Diagnostics)
        {
            error.WriteLine(d.Line > 0 ? d.ToString() : $"{d.File}: {d.Message}");
        }
        if (result.Ruleset is not { } ruleset)
        {
            var n = result.Diagnostics.Count;
            error.WriteLine($"firewall: {path}: the ruleset has {(n == 1 ? "an error" : $"{n} errors")}; nothing was evaluated");
            return null;
        }
        return RulesetCompiler.Compile(ruleset);
    }

    /// <summary>A synthetic flows file (SPEC §4) whose interface names resolve against <paramref name="rules"/>.</summary>
    public static FlowsFile? LoadFlows(string path, CompiledRuleset rules, TextWriter error)
    {
        var loaded = FlowsLoader.LoadFile(path, rules.Model);
        foreach (var d in loaded.Diagnostics)
        {
            error.WriteLine(d.Line > 0 ? d.ToString() : $"{d.File}: {d.Message}");
        }
        if (loaded.File is null)
        {
            error.WriteLine($"firewall: {path}: the flows file has errors; nothing was evaluated");
        }
        return loaded.File;
    }

    /// <param name="readAhead">Inflate a gzip-compressed capture on a thread of its own: true when the run may use several cores.</param>
    public static PacketReader? OpenCapture(string path, bool decapsulateVxlan, CliConsole console, bool readAhead = false)
    {
        var options = new DecoderOptions { DecapsulateVxlan = decapsulateVxlan };
        try
        {
            if (path == "-")
            {
                return new PacketReader(CaptureReader.Open(console.OpenInput(), "-", readAhead), options);
            }
            if (Directory.Exists(path))
            {
                return Fail(console, $"{path}: is a directory, not a capture file");
            }
            if (!File.Exists(path))
            {
                return Fail(console, $"{path}: no such capture file");
            }
            return new PacketReader(CaptureReader.Open(path, readAhead), options);
        }
        catch (CaptureFormatException ex)
        {
            return Fail(console, $"{ex.DisplayName}: {ex.Problem}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return Fail(console, $"{path}: cannot read the capture: {ex.Message}");
        }
    }

    /// <summary>The report's destination: standard output, or a file created (truncated) only now that the inputs are known to be good.</summary>
    public static Stream? OpenOutput(string? path, CliConsole console)
    {
        if (path is null || path == "-")
        {
            return new NonClosingStream(console.Out);
        }
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            console.Error.WriteLine($"firewall: {path}: cannot write the output: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Writes an answer to <paramref name="path"/> (or standard output), created only now that the answer
    /// is known; false after printing why the file cannot be written.
    /// </summary>
    public static bool WriteOutput(string? path, CliConsole console, Action<Stream> write)
    {
        using var stream = OpenOutput(path, console);
        if (stream is null)
        {
            return false;
        }
        write(stream);
        return true;
    }

    /// <summary>Text over a report stream: UTF-8 without a byte order mark, "\n" line ends; the stream stays open.</summary>
    public static StreamWriter Text(Stream stream, int bufferSize = 16 * 1024) =>
        new(stream, new UTF8Encoding(false), bufferSize, leaveOpen: true) { NewLine = "\n" };

    private static PacketReader? Fail(CliConsole console, string message)
    {
        console.Error.WriteLine($"firewall: {message}");
        return null;
    }
}

/// <summary>Standard output shared by the process: writers may dispose their stream, which must not close it.</summary>
internal sealed class NonClosingStream(Stream inner) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    protected override void Dispose(bool disposing) => inner.Flush();
}
