using System.Text.Json;
using Firewall.Reporting.Diff;
using Firewall.Tests.Support;

namespace Firewall.Reporting.Tests.Diff;

/// <summary><c>firewall diff</c>'s report of one NACL edit (<see cref="NaclEdit"/>) as text and JSON.</summary>
public class DiffWriterTests
{
    [Fact]
    public void TextAndJsonCarryBothSides()
    {
        var diff = NaclEdit.Diff();
        var text = DiffWriter.Text(diff);
        Assert.Contains("3 flows compared: 1 newly allowed, 1 newly blocked, 0 otherwise changed\n", text);
        Assert.Contains("""
            newly-blocked (1)
              tcp 203.0.113.5:40001 -> 10.0.1.10:22  frame 1: allowed -> request-denied
                old: nacl:public-nacl:inbound:110, sg:web-sg:inbound:ssh, conntrack:web, nacl:public-nacl:outbound:100
                new: nacl:public-nacl:inbound:*
            """.Replace("\r", ""), text);
        var stream = new MemoryStream();
        DiffWriter.Write(stream, DiffFormat.Json, diff);
        using var json = JsonDocument.Parse(stream.ToArray());
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal((1, 1, 0), (summary.GetProperty("newly_allowed").GetInt32(), summary.GetProperty("newly_blocked").GetInt32(), summary.GetProperty("changed").GetInt32()));
        var first = json.RootElement.GetProperty("changes")[0];
        Assert.Equal("newly-blocked", first.GetProperty("change").GetString());
        Assert.Equal("request-denied", first.GetProperty("new").GetProperty("outcome").GetString());
        Assert.Equal(22, first.GetProperty("server_port").GetInt32());
    }
}
