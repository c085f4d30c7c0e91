namespace Firewall.Capture.Reading;

/// <summary>
/// Damage found while reading, after which reading stopped or skipped ahead.
/// </summary>
/// <param name="Frame">The frame number being read when the problem was found (the next frame's number at a block boundary).</param>
/// <param name="ByteOffset">Offset of the damaged record or block in the (decompressed) input.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record CaptureWarning(long Frame, long ByteOffset, string Message)
{
    public override string ToString() => $"frame {Frame} (byte offset {ByteOffset}): {Message}";
}
