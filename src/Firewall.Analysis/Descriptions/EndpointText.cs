using System.Text;
using Firewall.Engine.Addressing;

namespace Firewall.Analysis.Descriptions;

/// <summary>
/// An endpoint as every output and every flow line writes it: <c>10.0.1.5:443</c>, <c>[2001:db8::1]:443</c>
/// (brackets keep an IPv6 address's colons apart from the port's), or the address alone where there is no port.
/// </summary>
public static class EndpointText
{
    public static string Format(IpAddr address, ushort port) =>
        address.IsV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    public static string Format(IpAddr address, ushort port, bool hasPort) =>
        hasPort ? Format(address, port) : address.ToString();

    /// <summary>The same text appended to a line, the address formatted in <paramref name="buffer"/> (per-packet writers).</summary>
    public static void Append(StringBuilder line, IpAddr address, ushort port, bool hasPort, Span<char> buffer)
    {
        var text = address.TryFormat(buffer, out var n) ? buffer[..n] : address.ToString().AsSpan();
        if (!hasPort)
        {
            line.Append(text);
            return;
        }
        if (address.IsV6) line.Append('[').Append(text).Append(']');
        else line.Append(text);
        line.Append(':').Append(port);
    }
}
