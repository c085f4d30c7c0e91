using Firewall.Flows.Definitions;

namespace Firewall.Flows.Synthesis;

/// <summary>
/// Every packet of a flows file in time order (ties: file order, then order within the flow), told as it
/// goes which packets were not delivered. A receiver answers only what reached it: once a packet is
/// dropped, its sender may still send what it sends without waiting (the rest of the same message), but
/// the other side never answers, so its repetition of the conversation ends there. Without any
/// <see cref="NotDelivered"/> call this is the open-loop exchange, every packet as written.
/// </summary>
public sealed class SynthesizedTraffic : IDisposable
{
    private readonly List<Source> _sources = [];
    private readonly PriorityQueue<int, (long Time, int Flow)> _queue = new();
    private int _current = -1;

    public SynthesizedTraffic(FlowsFile file)
    {
        var previousEnd = file.StartNs - FlowTiming.BetweenFlowsNs;
        foreach (var def in file.Flows)
        {
            var start = def.StartNs ?? previousEnd + FlowTiming.BetweenFlowsNs;
            var duration = FlowSynthesizer.RepetitionDuration(def);
            previousEnd = start + def.Count * duration + (def.Count - 1) * def.GapNs;
            var e = FlowSynthesizer.FlowPackets(def, start).GetEnumerator();
            if (e.MoveNext())
            {
                _sources.Add(new Source(e));
                _queue.Enqueue(_sources.Count - 1, (e.Current.TimestampNs, def.Index));
            }
            else
            {
                e.Dispose();
            }
        }
    }

    /// <summary>The packet <see cref="MoveNext"/> moved to.</summary>
    public SynthPacket Current { get; private set; }

    public bool MoveNext()
    {
        if (_current >= 0 && !_sources[_current].Advance())
        {
            _sources[_current].Dispose();
        }
        else if (_current >= 0)
        {
            var next = _sources[_current].Packets.Current;
            _queue.Enqueue(_current, (next.TimestampNs, next.FlowIndex));
        }
        if (!_queue.TryDequeue(out _current, out _))
        {
            _current = -1;
            return false;
        }
        Current = _sources[_current].Packets.Current;
        return true;
    }

    /// <summary>The current packet was dropped on its way: its receiver sends nothing more in this repetition.</summary>
    public void NotDelivered()
    {
        if (_current >= 0)
        {
            _sources[_current].Cut(Current);
        }
    }

    public void Dispose()
    {
        while (_queue.TryDequeue(out var i, out _))
        {
            _sources[i].Dispose();
        }
        if (_current >= 0)
        {
            _sources[_current].Dispose();
            _current = -1;
        }
    }

    /// <summary>One flow definition's packets, repetition after repetition, less what a drop cut off.</summary>
    private sealed class Source(IEnumerator<SynthPacket> packets) : IDisposable
    {
        public readonly IEnumerator<SynthPacket> Packets = packets;
        private int _cutRepetition = -1;
        private bool _cutSenderIsServer;
        private bool _answered;

        public void Cut(in SynthPacket dropped)
        {
            _cutRepetition = dropped.Repetition;
            _cutSenderIsServer = dropped.FromServer;
            _answered = false;
        }

        /// <summary>Moves to the next packet that is still sent; false at the end.</summary>
        public bool Advance()
        {
            while (Packets.MoveNext())
            {
                var p = Packets.Current;
                if (p.Repetition != _cutRepetition)
                {
                    return true;
                }
                // The dropped packet's sender goes on with what it sends unprompted, until the other side's turn.
                _answered |= p.FromServer != _cutSenderIsServer;
                if (!_answered)
                {
                    return true;
                }
            }
            return false;
        }

        public void Dispose() => Packets.Dispose();
    }
}
