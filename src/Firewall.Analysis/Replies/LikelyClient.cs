using Firewall.Engine.Addressing;
using Firewall.Engine.Model;

namespace Firewall.Analysis.Replies;

/// <summary>The client an ephemeral port range points to, from the ranges of <see cref="EphemeralPorts"/> (AWS "Ephemeral ports").</summary>
public enum LikelyClient
{
    /// <summary>Some port below 1024: not an ephemeral range anyone documents.</summary>
    Unknown,

    /// <summary><see cref="EphemeralPorts.Linux"/>.</summary>
    Linux,

    /// <summary><see cref="EphemeralPorts.Windows"/>.</summary>
    Windows,

    /// <summary>Every port in the overlap of the Linux and Windows ranges, which both use.</summary>
    LinuxOrWindows,

    /// <summary><see cref="EphemeralPorts.NatGatewayElbLambda"/>.</summary>
    NatGatewayElbLambda,
}

/// <summary>What a range of client ports says about the client: which documented ephemeral range holds it, by name and in words.</summary>
public static class LikelyClients
{
    /// <summary>The client the seen ports point to: the narrowest documented range that holds them all.</summary>
    public static LikelyClient Classify(PortRange seen)
    {
        var (linux, windows, other) = (EphemeralPorts.Linux.Range, EphemeralPorts.Windows.Range, EphemeralPorts.NatGatewayElbLambda.Range);
        return seen switch
        {
            _ when seen.From >= windows.From && seen.To <= linux.To => LikelyClient.LinuxOrWindows,
            _ when seen.From >= linux.From && seen.To <= linux.To => LikelyClient.Linux,
            _ when seen.From >= windows.From && seen.To <= windows.To => LikelyClient.Windows,
            _ when seen.From >= other.From && seen.To <= other.To => LikelyClient.NatGatewayElbLambda,
            _ => LikelyClient.Unknown,
        };
    }

    /// <summary>The documented ephemeral range of <paramref name="client"/> (<see cref="EphemeralPorts"/>); both ranges for Linux or Windows.</summary>
    public static PortRange? DocumentedRange(LikelyClient client) => client switch
    {
        LikelyClient.Linux => EphemeralPorts.Linux.Range,
        LikelyClient.Windows => EphemeralPorts.Windows.Range,
        LikelyClient.LinuxOrWindows => EphemeralPorts.Covering([EphemeralPorts.Linux, EphemeralPorts.Windows]),
        LikelyClient.NatGatewayElbLambda => EphemeralPorts.NatGatewayElbLambda.Range,
        _ => null,
    };

    public static string Describe(LikelyClient client) => client switch
    {
        LikelyClient.Linux => EphemeralPorts.Linux.ToString(),
        LikelyClient.Windows => EphemeralPorts.Windows.ToString(),
        LikelyClient.LinuxOrWindows => $"{EphemeralPorts.Linux} or {EphemeralPorts.Windows}",
        LikelyClient.NatGatewayElbLambda => $"a {EphemeralPorts.NatGatewayElbLambda}",
        _ => "unknown: ports below 1024 are no documented ephemeral range",
    };

    public static string Name(LikelyClient client) => client switch
    {
        LikelyClient.Linux => EphemeralPorts.Linux.Name,
        LikelyClient.Windows => EphemeralPorts.Windows.Name,
        LikelyClient.LinuxOrWindows => "linux-or-windows",
        LikelyClient.NatGatewayElbLambda => EphemeralPorts.NatGatewayElbLambda.Name,
        _ => "unknown",
    };
}
