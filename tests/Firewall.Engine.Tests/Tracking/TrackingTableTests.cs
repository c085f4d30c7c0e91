using CsCheck;
using Firewall.Engine.Addressing;
using Firewall.Engine.Tracking;

namespace Firewall.Engine.Tests.Tracking;

/// <summary>
/// The tracking table against a dictionary: whatever the sequence of lookups, insertions, removals, sweeps
/// and growth, a key is found exactly when it was inserted, not removed, and its deadline has not passed.
/// Few keys in a small table make long probe runs, shared tags and backward shifts common.
/// </summary>
public class TrackingTableTests
{
    private const int Keys = 48;

    private static FlowKey KeyOf(int n) =>
        new FlowKey(IpAddr.FromV4(0x0A000000u + (uint)(n % 7)), (ushort)(40000 + n), IpAddr.FromV4(0xC6336407), 443, IpProtocol.Tcp)
            .ForInterface(localIsA: n % 2 == 0);

    private enum Op { Find, Insert, Remove, Sweep, Tick }

    [Fact]
    public void Lookups_agree_with_a_dictionary_through_inserts_removals_sweeps_and_growth()
    {
        var keys = Enumerable.Range(0, Keys).Select(KeyOf).ToArray();
        var step = Gen.Select(Gen.Enum<Op>(), Gen.Int[0, Keys - 1], Gen.Int[1, 50]);
        Gen.Select(step.Array[1, 400], Gen.Int[1, 64]).Sample((steps, initialCapacity) =>
        {
            var table = new TrackingTable(int.MaxValue, initialCapacity);
            var model = new Dictionary<int, long>(); // key number → deadline
            long now = 1_000;
            foreach (var (op, k, amount) in steps)
            {
                switch (op)
                {
                    case Op.Find:
                    case Op.Remove:
                    {
                        var slot = table.Find(in keys[k], now);
                        var live = model.TryGetValue(k, out var deadline) && deadline - now > 0;
                        Assert.Equal(live, slot >= 0);
                        if (!live)
                        {
                            model.Remove(k);
                        }
                        else
                        {
                            Assert.Equal(keys[k], table[slot].Key);
                            Assert.Equal(deadline, table[slot].Deadline);
                            if (op == Op.Remove)
                            {
                                table.RemoveAt(slot);
                                model.Remove(k);
                            }
                        }
                        break;
                    }
                    case Op.Insert:
                        if (table.Find(in keys[k], now) < 0)
                        {
                            var slot = table.Insert(in keys[k], now, EntryFlags.None);
                            table[slot].Deadline = now + amount;
                            table[slot].FlowId = k;
                            model[k] = now + amount;
                        }
                        break;
                    case Op.Sweep:
                        table.Sweep(now, amount);
                        break;
                    case Op.Tick:
                        now += amount / 5;
                        break;
                }
            }
            // Every key, looked up at the end, is where the model says, with the entry that was inserted for it.
            for (var k = 0; k < Keys; k++)
            {
                var slot = table.Find(in keys[k], now);
                var live = model.TryGetValue(k, out var deadline) && deadline - now > 0;
                Assert.Equal(live, slot >= 0);
                if (live)
                {
                    Assert.Equal(k, table[slot].FlowId);
                }
            }
            Assert.True(table.Count >= model.Count(e => e.Value - now > 0));
        }, iter: 3_000);
    }
}
