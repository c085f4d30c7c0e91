using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Firewall.Capture;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;
using Firewall.Reporting;

namespace Firewall.Cli.Running;

/// <summary>
/// <c>--threads N</c>: flows are split into N shards by address pair (<see cref="Sharding"/>), each owned by
/// one evaluator. The calling thread reads and decodes every packet, evaluates those of its own shard at
/// once and hands the others, in batches, to N−1 workers that evaluate their shard's packets in capture
/// order; it then takes finished batches back in order, renumbers flows through a <see cref="ShardMerger"/>
/// and writes per-packet output. Because the calling thread also reads, decodes and writes, its shard is
/// given a smaller share of the address pairs. Batches live in a fixed ring and are reused, so the steady
/// state allocates nothing; results, counters and output are those of one evaluator, whatever the split.
/// </summary>
internal static class ShardedCaptureRun
{
    private const int BatchSize = 1024;
    private const int BatchesPerWorker = 4;

    /// <summary>Percent of the fair share of address pairs the calling thread gives away to pay for reading, decoding and merging.</summary>
    private const int ReaderDiscount = 40;

    private sealed class Batch
    {
        public readonly PacketInfo[] Packets = new PacketInfo[BatchSize];
        public readonly PacketResult[] Results = new PacketResult[BatchSize];
        public readonly byte[] Shards = new byte[BatchSize];
        public readonly ManualResetEventSlim Done = new(false);
        public int Count;
        public int Pending;
        public bool Last;
    }

    private sealed class Worker
    {
        public required int Shard { get; init; }
        public required Evaluator Evaluator { get; init; }
        public readonly SemaphoreSlim Ready = new(0);
        public Thread? Thread;
    }

    // Entered once and looping over every packet: compiled optimized at once, since a published (precompiled)
    // build would otherwise keep its precompiled code, which never inlines across assemblies, for the whole run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RunReport? Evaluate(
        PacketReader reader,
        CompiledRuleset rules,
        EvaluationOptions options,
        int threads,
        string captureName,
        Func<RunInput> input,
        IReportWriter? packetWriter,
        Progress progress,
        TextWriter error)
    {
        var ring = new Batch[(threads - 1) * BatchesPerWorker];
        for (var i = 0; i < ring.Length; i++)
        {
            ring[i] = new Batch();
        }
        ExceptionDispatchInfo? failure = null;
        var own = new Evaluator(rules, options);
        var workers = new Worker[threads - 1];
        for (var w = 0; w < workers.Length; w++)
        {
            var worker = workers[w] = new Worker { Shard = w + 1, Evaluator = new Evaluator(rules, options) };
            worker.Thread = new Thread(() => Work(worker, ring, ref failure))
            {
                IsBackground = true,
                Name = $"firewall shard {w + 1}",
            };
            worker.Thread.Start();
        }

        // Writing per-packet output costs more than evaluating: then the calling thread keeps no shard's flows.
        var split = ShardSplit.WithFirstShare(threads, packetWriter is null ? 100 - ReaderDiscount : 0);
        var merger = new ShardMerger([own, .. workers.Select(w => w.Evaluator)]);
        string? readError = null;
        long produced = 0;
        long merged = 0;
        var more = true;
        while (more)
        {
            if (produced - merged == ring.Length)
            {
                Merge(ring[merged++ % ring.Length], merger, packetWriter, progress);
            }
            var batch = ring[produced % ring.Length];
            batch.Count = 0;
            try
            {
                while (batch.Count < BatchSize)
                {
                    // Decoded straight into the batch: a packet a worker evaluates is never copied.
                    ref var packet = ref batch.Packets[batch.Count];
                    if (!reader.TryReadNext(ref packet))
                    {
                        break;
                    }
                    var i = batch.Count++;
                    var shard = split.ShardOf(in packet);
                    batch.Shards[i] = (byte)shard;
                    if (shard == 0)
                    {
                        own.Evaluate(in packet, ref batch.Results[i]);
                    }
                }
            }
            catch (IOException ex)
            {
                readError = $"firewall: {captureName}: reading stopped after frame {reader.Capture.FramesRead}: {ex.Message}";
            }
            more = batch.Count == BatchSize && readError is null && failure is null;
            batch.Last = !more;
            batch.Pending = workers.Length;
            batch.Done.Reset();
            produced++;
            foreach (var worker in workers)
            {
                worker.Ready.Release();
            }
        }
        while (merged < produced)
        {
            Merge(ring[merged++ % ring.Length], merger, packetWriter, progress);
        }
        foreach (var worker in workers)
        {
            worker.Thread!.Join();
        }
        progress.Done();
        failure?.Throw();
        if (readError is not null)
        {
            error.WriteLine(readError);
            return null;
        }
        foreach (var caveat in merger.Caveats())
        {
            error.WriteLine($"firewall: warning: {caveat}");
        }
        var (counters, flows) = merger.Finish();
        return new RunReport(rules, options, counters, flows, input());
    }

    // Entered once and looping over every packet: compiled optimized at once, since a published (precompiled)
    // build would otherwise keep its precompiled code, which never inlines across assemblies, for the whole run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Work(Worker worker, Batch[] ring, ref ExceptionDispatchInfo? failure)
    {
        var shard = (byte)worker.Shard;
        var evaluator = worker.Evaluator;
        for (long seq = 0; ; seq++)
        {
            worker.Ready.Wait();
            var batch = ring[seq % ring.Length];
            try
            {
                if (Volatile.Read(ref failure) is null)
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (batch.Shards[i] == shard)
                        {
                            evaluator.Evaluate(in batch.Packets[i], ref batch.Results[i]);
                        }
                    }
                }
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
            }
            var last = batch.Last;
            if (Interlocked.Decrement(ref batch.Pending) == 0)
            {
                batch.Done.Set();
            }
            if (last)
            {
                return;
            }
        }
    }

    private static void Merge(Batch batch, ShardMerger merger, IReportWriter? packetWriter, Progress progress)
    {
        batch.Done.Wait();
        for (var i = 0; i < batch.Count; i++)
        {
            ref var result = ref batch.Results[i];
            merger.Map(batch.Shards[i], ref result);
            if (packetWriter is not null)
            {
                packetWriter.WritePacket(in batch.Packets[i], in result);
            }
            progress.Tick(merger.Frames, merger.FlowCount);
        }
    }
}
