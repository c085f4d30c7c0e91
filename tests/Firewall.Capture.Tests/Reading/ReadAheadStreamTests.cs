using CsCheck;
using Firewall.Capture.Reading;

namespace Firewall.Capture.Tests.Reading;

/// <summary>Reading another stream on a thread of its own: the same bytes, and its failure only after them.</summary>
public class ReadAheadStreamTests
{
    /// <summary>Returns its data in steps of at most <c>step</c> bytes, then throws after <c>failAfter</c> bytes if set.</summary>
    private sealed class SteppedStream(byte[] data, int step, int failAfter = -1) : ForwardReadStream
    {
        private int _position;

        public bool Disposed { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            if (failAfter >= 0 && _position >= failAfter)
            {
                throw new InvalidDataException("damaged");
            }
            var limit = failAfter >= 0 ? failAfter : data.Length;
            var n = Math.Min(Math.Min(buffer.Length, step), limit - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    private static (byte[] Bytes, Exception? Error) ReadAll(Stream stream, Random sizes)
    {
        var output = new MemoryStream();
        var buffer = new byte[100_000];
        try
        {
            while (true)
            {
                var n = stream.Read(buffer, 0, sizes.Next(1, buffer.Length));
                if (n == 0)
                {
                    return (output.ToArray(), null);
                }
                output.Write(buffer, 0, n);
            }
        }
        catch (Exception e)
        {
            return (output.ToArray(), e);
        }
    }

    [Fact]
    public void Every_byte_arrives_in_order_whatever_the_chunk_step_and_read_sizes()
    {
        Gen.Select(Gen.Int[0, 400_000], Gen.Int[1, 70_000], Gen.Int[1, 5], Gen.Int[1, 9_000], Gen.Int).Sample((length, chunk, chunks, step, seed) =>
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            using var stream = new ReadAheadStream(new SteppedStream(data, step), chunkSize: chunk, chunks: chunks);
            var (bytes, error) = ReadAll(stream, new Random(seed + 1));
            Assert.Null(error);
            Assert.Equal(data, bytes);
            Assert.Equal(0, stream.Read(new byte[10], 0, 10)); // and the end stays the end
        }, iter: 300);
    }

    [Fact]
    public void A_failure_arrives_after_every_byte_read_before_it_and_keeps_its_type()
    {
        Gen.Select(Gen.Int[0, 300_000], Gen.Int[1, 70_000], Gen.Int[1, 9_000], Gen.Int).Sample((failAfter, chunk, step, seed) =>
        {
            var data = new byte[failAfter + 1000];
            new Random(seed).NextBytes(data);
            using var stream = new ReadAheadStream(new SteppedStream(data, step, failAfter), chunkSize: chunk, chunks: 3);
            var (bytes, error) = ReadAll(stream, new Random(seed + 1));
            Assert.IsType<InvalidDataException>(error);
            Assert.Equal(data[..failAfter], bytes);
        }, iter: 300);
    }

    [Fact]
    public void Disposing_before_the_end_stops_the_thread_and_closes_the_inner_stream()
    {
        var inner = new SteppedStream(new byte[10_000_000], 4096);
        var stream = new ReadAheadStream(inner, chunkSize: 64 * 1024, chunks: 2);
        Assert.Equal(100, stream.Read(new byte[100], 0, 100));
        stream.Dispose();
        Assert.True(inner.Disposed);
    }
}
