using System.Buffers;
using System.Text.Json;

namespace Firewall.Reporting.Json;

/// <summary>
/// A <see cref="Utf8JsonWriter"/> over a reusable buffer that is drained to the output stream in large
/// writes, so that millions of small records cost no allocation and few system calls.
/// </summary>
internal sealed class JsonOutput : IDisposable
{
    private const int DrainAt = 64 * 1024;
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(128 * 1024);

    public JsonOutput(Stream stream, bool indented)
    {
        _stream = stream;
        Writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Indented = indented,
            // The default encoder escapes every non-ASCII character and '+'/'<'; names and descriptions
            // from rulesets should read as written. Output is for tools and files, never for HTML.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        });
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>The buffer under <see cref="Writer"/>, for records written as bytes between whole values of the writer.</summary>
    public ArrayBufferWriter<byte> Buffer => _buffer;

    /// <summary>Ends a JSON Lines record: flushes the writer, adds a newline, and readies the writer for the next value.</summary>
    public void EndLine()
    {
        Writer.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        Writer.Reset(_buffer);
        DrainIfLarge();
    }

    public void DrainIfLarge()
    {
        if (Writer.BytesPending > DrainAt)
        {
            Writer.Flush();
        }
        if (_buffer.WrittenCount > DrainAt)
        {
            Drain();
        }
    }

    public void Drain()
    {
        Writer.Flush();
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    /// <summary>Everything written so far, through to the stream and out of its buffers.</summary>
    public void Flush()
    {
        Drain();
        _stream.Flush();
    }

    public void WriteNewline()
    {
        Writer.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }

    public void Dispose()
    {
        Drain();
        _stream.Flush();
        Writer.Dispose();
    }
}
