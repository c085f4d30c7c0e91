using System.Globalization;
using Firewall.Engine.Addressing;
using Firewall.Engine.Model;
using Firewall.Rulesets.Yaml;

namespace Firewall.Rulesets.Validation;

/// <summary>
/// Turns scalar text into values, reporting "key: expected …, found …" at the value when it cannot.
/// Numbers are plain decimal only: YAML's 0x/0o/underscore forms are refused so that nothing is guessed.
/// </summary>
internal static class ValueParser
{
    public const string ProtocolExpected = "all, -1, tcp, udp, icmp, icmpv6 or a protocol number 0-255";

    public static bool TryInteger(ScalarField field, long min, long max, string expected, DiagnosticBag bag, out int value)
    {
        value = 0;
        var text = field.Text;
        if (text.Length is > 0 and <= 11
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && text[0] != '+'
            && number >= min && number <= max)
        {
            value = (int)number;
            return true;
        }
        bag.Add(field.Value, $"{field.Key.Value}: expected {expected}, found '{ScalarNode.Shorten(text)}'");
        return false;
    }

    public static RuleProtocol? Protocol(ScalarField field, DiagnosticBag bag)
    {
        // A ruleset file writes a protocol number in at most three digits; the AWS import takes any padding.
        var padded = field.Text.Length > 3 && IsDigits(field.Text);
        if (!padded && RuleProtocol.TryParse(field.Text, out var protocol))
        {
            return protocol;
        }
        bag.Add(field.Value, $"protocol: expected {ProtocolExpected}, found '{ScalarNode.Shorten(field.Text)}'");
        return null;
    }

    /// <summary>"443" or "1024-65535": the destination port range (AWS FromPort/ToPort, PortRange).</summary>
    public static PortRange? Ports(ScalarField field, DiagnosticBag bag)
    {
        var text = field.Text.AsSpan();
        var dash = text.IndexOf('-');
        var fromText = dash < 0 ? text : text[..dash];
        var toText = dash < 0 ? text : text[(dash + 1)..];
        if (!TryPort(fromText, out var from) || !TryPort(toText, out var to))
        {
            bag.Add(field.Value, $"ports: expected a port 0-65535 or a range a-b such as 1024-65535, found '{ScalarNode.Shorten(field.Text)}'");
            return null;
        }
        if (from > to)
        {
            bag.Add(field.Value, $"ports: the range {from}-{to} ends before it starts; write {to}-{from}");
            return null;
        }
        return new PortRange((ushort)from, (ushort)to);
    }

    private static bool TryPort(ReadOnlySpan<char> text, out int port)
    {
        port = 0;
        return IsDigits(text) && text.Length <= 5
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A CIDR in canonical form; one with host bits set is refused (see the overload that may accept it).</summary>
    public static Cidr? Cidr(ScalarField field, string expected, DiagnosticBag bag) => Cidr(field, expected, bag, null, out _);

    /// <summary>
    /// A CIDR in canonical form. A bare address is refused with the text that was probably meant: AWS wants
    /// /32 or /128 for a host (VPC "Security group rules"). A CIDR with host bits set is refused too, unless
    /// <paramref name="awsClearsHostBits"/> says AWS accepts it there and keeps its network (the EC2 API pages
    /// of security group rules, NACL entries, subnets and VPCs say so for some fields); then the network is
    /// returned and <paramref name="hostBitsCleared"/> is set, so that the caller can record what was written.
    /// </summary>
    public static Cidr? Cidr(ScalarField field, string expected, DiagnosticBag bag, Func<Engine.Addressing.Cidr, bool>? awsClearsHostBits, out bool hostBitsCleared)
    {
        hostBitsCleared = false;
        var text = field.Text;
        var slash = text.IndexOf('/');
        if (slash >= 0 && (!IsPlainAddressText(text.AsSpan(0, slash)) || !IsPlainDecimal(text.AsSpan(slash + 1))))
        {
            bag.Add(field.Value, $"{field.Key.Value}: expected {expected}, found '{ScalarNode.Shorten(text)}'{PlainHint(text.AsSpan(0, slash))}");
            return null;
        }
        switch (Engine.Addressing.Cidr.TryParse(text, out var cidr))
        {
            case Engine.Addressing.Cidr.ParseStatus.Ok:
                return cidr;
            case Engine.Addressing.Cidr.ParseStatus.HostBitsSet when awsClearsHostBits?.Invoke(cidr) == true:
                hostBitsCleared = true;
                return cidr;
            case Engine.Addressing.Cidr.ParseStatus.HostBitsSet:
                bag.Add(field.Value, $"{text} has host bits set; did you mean {cidr}?");
                return null;
        }
        if (IsPlainAddressText(text) && IpAddr.TryParse(text, out var address))
        {
            bag.Add(field.Value, $"{field.Key.Value}: expected {expected}, found the address {text}; a single host is written {text}/{address.BitLength}");
            return null;
        }
        bag.Add(field.Value, $"{field.Key.Value}: expected {expected}, found '{ScalarNode.Shorten(text)}'");
        return null;
    }

    /// <summary>An IPv4 or IPv6 address, as in an interface's <c>addresses</c>.</summary>
    public static IpAddr? Address(ScalarNode node, DiagnosticBag bag)
    {
        if (IsPlainAddressText(node.Value) && IpAddr.TryParse(node.Value, out var address))
        {
            return address;
        }
        var slash = node.Value.IndexOf('/');
        if (slash > 0 && IsPlainAddressText(node.Value.AsSpan(0, slash)) && IpAddr.TryParse(node.Value.AsSpan(0, slash), out _))
        {
            bag.Add(node, $"addresses: expected an address, found the CIDR {node.Value}; write the address without a prefix length");
            return null;
        }
        var end = slash < 0 ? node.Value.Length : slash;
        bag.Add(node, $"addresses: expected an IPv4 or IPv6 address, found '{ScalarNode.Shorten(node.Value)}'{PlainHint(node.Value.AsSpan(0, end))}");
        return null;
    }

    /// <summary>
    /// IPv6 text is left to the address parser. IPv4 must be four decimal numbers 0-255 without leading
    /// zeros: the platform parser follows inet_aton and reads <c>010.0.0.1</c> as octal (8.0.0.1) and
    /// <c>0x0a.0.0.1</c> as hex, and tools disagree on such forms, so they are refused rather than guessed.
    /// </summary>
    public static bool IsPlainAddressText(ReadOnlySpan<char> text)
    {
        if (text.Contains(':'))
        {
            return true;
        }
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++parts > 4 || !IsPlainDecimal(part) || part.Length > 3 || int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }
        return parts == 4;
    }

    /// <summary>Decimal digits with no sign and no leading zero ("0" itself is fine).</summary>
    private static bool IsPlainDecimal(ReadOnlySpan<char> text) => IsDigits(text) && (text.Length == 1 || text[0] != '0');

    private static string PlainHint(ReadOnlySpan<char> address) =>
        !address.Contains(':') && HasOctalOrHexPart(address)
            ? " (write IPv4 as four decimal numbers 0-255 without leading zeros; 010 would be read as octal)"
            : "";

    private static bool HasOctalOrHexPart(ReadOnlySpan<char> address)
    {
        foreach (var range in address.Split('.'))
        {
            var part = address[range];
            if (part.Length > 1 && part[0] == '0')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Names and rule ids become parts of references such as <c>sg:web-sg:inbound:ssh</c>, so they
    /// are restricted to characters that cannot be confused with the separators.
    /// </summary>
    public static bool IsSimpleName(string text)
    {
        if (text.Length is 0 or > 128)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    public const string SimpleNameRule = "letters, digits, '-', '_' and '.'";
}
