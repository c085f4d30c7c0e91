using System.Text;
using Firewall.Engine.Packets;
using Firewall.Reporting.FlowLogs;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.FlowLogs;

/// <summary>
/// <c>check --format flowlog</c>: VPC Flow Logs default format (version 2), whose fields AWS documents in
/// this order: version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes
/// start end action log-status.
/// </summary>
public class FlowLogWriterTests
{
    private const long T0s = TestRun.T0 / 1_000_000_000; // 2026-01-01T10:00:00Z, a whole minute

    private const string Ruleset = """
        version: 1
        vpc_cidr: 10.0.0.0/16
        subnets:
          public: { cidr: 10.0.1.0/24 }
          private: { cidr: 10.0.2.0/24, network_acl: private-nacl }
        interfaces:
          web: { addresses: [10.0.1.10], subnet: public, security_groups: [web-sg] }
          db: { addresses: [10.0.2.20], subnet: private, security_groups: [db-sg] }
        security_groups:
          web-sg:
            inbound:
              - { protocol: tcp, ports: 443, source: 0.0.0.0/0 }
            outbound:
              - { protocol: tcp, ports: 5432, destination: 10.0.2.0/24 }
              - { protocol: udp, ports: 53, destination: 0.0.0.0/0 }
          db-sg:
            inbound:
              - { protocol: tcp, ports: 5432, source: 10.0.1.0/24 }
        network_acls:
          private-nacl:
            inbound:
              - { rule: 100, protocol: tcp, ports: 5432, source: 10.0.9.0/24, action: allow }
        """;

    private static string Run(Action<TestRun> traffic, FlowLogOptions? options = null)
    {
        var run = new TestRun(Ruleset);
        traffic(run);
        var output = new MemoryStream();
        using var writer = new FlowLogWriter(output, run.Rules, options);
        writer.Complete(run.Evaluate(writer));
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void FieldsAreAwsDefaultFormatVersion2InOrder()
    {
        Assert.Equal(
            ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status"],
            FlowLogWriter.Header.Split(' '));
        var text = Run(r => r.Connection(1, "198.51.100.7", 40000, "10.0.1.10", 443));
        Assert.Equal(
            $"2 unknown web 198.51.100.7 10.0.1.10 40000 443 6 2 92 {T0s + 1} {T0s + 1} ACCEPT OK\n"
            + $"2 unknown web 10.0.1.10 198.51.100.7 443 40000 6 2 92 {T0s + 1} {T0s + 1} ACCEPT OK\n",
            text);
        Assert.All(text.TrimEnd('\n').Split('\n'), line => Assert.Equal(14, line.Split(' ').Length));
    }

    [Fact]
    public void RecordsAggregatePerIntervalWithFirstAndLastPacketTimes()
    {
        void Traffic(TestRun r) => r
            .Tcp(5, "198.51.100.7", 40000, "10.0.1.10", 443, TcpFlag.Syn)
            .Tcp(50, "198.51.100.7", 40000, "10.0.1.10", 443, TcpFlag.Ack)
            .Tcp(70, "198.51.100.7", 40000, "10.0.1.10", 443, TcpFlag.Ack);
        Assert.Equal(
            $"2 unknown web 198.51.100.7 10.0.1.10 40000 443 6 2 92 {T0s + 5} {T0s + 50} ACCEPT OK\n"
            + $"2 unknown web 198.51.100.7 10.0.1.10 40000 443 6 1 46 {T0s + 70} {T0s + 70} ACCEPT OK\n",
            Run(Traffic));
        Assert.Equal(
            $"2 123456789012 web 198.51.100.7 10.0.1.10 40000 443 6 3 138 {T0s + 5} {T0s + 70} ACCEPT OK\n",
            Run(Traffic, new FlowLogOptions { IntervalSeconds = 600, AccountId = "123456789012" }));
    }

    [Fact]
    public void RejectIsLoggedAtTheInterfaceWhoseFilterDropped()
    {
        // db's inbound NACL drops it: web logs the packet leaving (ACCEPT), db logs it arriving (REJECT).
        Assert.Equal(
            $"2 unknown web 10.0.1.10 10.0.2.20 41000 5432 6 1 46 {T0s} {T0s} ACCEPT OK sg:web-sg:outbound:1\n"
            + $"2 unknown db 10.0.1.10 10.0.2.20 41000 5432 6 1 46 {T0s} {T0s} REJECT OK nacl:private-nacl:inbound:*\n",
            Run(r => r.Tcp(0, "10.0.1.10", 41000, "10.0.2.20", 5432, TcpFlag.Syn), new FlowLogOptions { IncludeRule = true }));
        // web's own security group drops it: only web logs it, as REJECT; the packet never reaches db.
        Assert.Equal(
            $"2 unknown web 10.0.1.10 10.0.2.20 41001 22 6 1 46 {T0s} {T0s} REJECT OK sg:web:outbound:none\n",
            Run(r => r.Tcp(0, "10.0.1.10", 41001, "10.0.2.20", 22, TcpFlag.Syn), new FlowLogOptions { IncludeRule = true }));
    }

    [Fact]
    public void TrafficAwsDoesNotLogIsLeftOut()
    {
        // The Amazon DNS resolver (VPC base + 2) is neither filtered nor logged; other DNS servers are.
        var text = Run(r => r.Udp(0, "10.0.1.10", 50000, "10.0.0.2", 53).Udp(1, "10.0.1.10", 50001, "192.0.2.53", 53).Undecodable(2, DecodeError.TruncatedIpHeader));
        Assert.Equal($"2 unknown web 10.0.1.10 192.0.2.53 50001 53 17 1 46 {T0s + 1} {T0s + 1} ACCEPT OK\n", text);
    }

    [Fact]
    public void IcmpHasPortsZero()
    {
        var text = Run(r => r.Echo(0, "10.0.1.10", "10.0.2.20", request: true, id: 7));
        Assert.StartsWith("2 unknown web 10.0.1.10 10.0.2.20 0 0 1 1 46 ", text);
    }

    [Fact]
    public void AnIntervalIsWrittenOnceCaptureTimeHasPassedIt()
    {
        var run = new TestRun(Ruleset)
            .Tcp(0, "198.51.100.7", 40000, "10.0.1.10", 443, TcpFlag.Syn)
            .Tcp(61, "198.51.100.7", 40000, "10.0.1.10", 443, TcpFlag.Ack);
        var output = new MemoryStream();
        using var writer = new FlowLogWriter(output, run.Rules);
        run.Evaluate(writer);
        // Before Complete: the first minute is out, the second still being aggregated.
        Assert.Equal($"2 unknown web 198.51.100.7 10.0.1.10 40000 443 6 1 46 {T0s} {T0s} ACCEPT OK\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Theory]
    [InlineData(59)]
    [InlineData(601)]
    public void IntervalsOutsideAwsRangeAreRefused(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlowLogWriter(new MemoryStream(), new TestRun(Ruleset).Rules, new FlowLogOptions { IntervalSeconds = seconds }));
}
