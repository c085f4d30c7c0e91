using Firewall.Engine.Addressing;

namespace Firewall.Analysis.Reachability;

/// <summary>The request that stands for a cell of a partition: one value per dimension, chosen to read well in an example.</summary>
internal static class ExampleRequest
{
    /// <summary>The request whose header holds the given value on every dimension.</summary>
    public static RequestHeader Of(UInt128[] values, bool v6)
    {
        return new RequestHeader(
            (byte)values[(int)Dim.Protocol],
            IpAddr.FromValue(values[(int)Dim.Source], v6),
            IpAddr.FromValue(values[(int)Dim.Destination], v6),
            (ushort)values[(int)Dim.SourcePort],
            (ushort)values[(int)Dim.DestinationPort],
            (byte)values[(int)Dim.IcmpType],
            (byte)values[(int)Dim.IcmpCode]);
    }

    /// <summary>Client ports an example prefers, in order: one a person recognises as a client's, then each client kind's first.</summary>
    public static readonly UInt128[] ClientPorts = [51514, 49152, 32768, 1024];

    /// <summary>
    /// A request value to stand for an interval, readable in an example: an address after a network's first
    /// (so not 10.0.1.0 of 10.0.1.0/24); a client port in the ephemeral range when the interval has one.
    /// </summary>
    public static UInt128 Pick(Dim dim, Interval piece)
    {
        switch (dim)
        {
            case Dim.Source or Dim.Destination:
                return piece.Hi > piece.Lo ? piece.Lo + 1 : piece.Lo;
            case Dim.SourcePort:
                foreach (var preferred in ClientPorts)
                {
                    if (piece.Contains(preferred))
                    {
                        return preferred;
                    }
                }
                return piece.Lo >= 49152 || piece.Hi < 1024 ? piece.Lo : UInt128.Max(piece.Lo, 1024);
            default:
                return piece.Lo;
        }
    }
}
