namespace Firewall.Capture.Decoding;

/// <summary>Choices that change what a frame decodes to.</summary>
public readonly record struct DecoderOptions
{
    /// <summary>
    /// Unwrap VXLAN (UDP destination port <see cref="PacketDecoder.VxlanPort"/>) and decode the inner Ethernet
    /// frame instead: the form in which AWS Traffic Mirroring delivers mirrored traffic.
    /// </summary>
    public bool DecapsulateVxlan { get; init; }
}
