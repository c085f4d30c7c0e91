using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Firewall.Analysis.Runs;
using Firewall.Capture;
using Firewall.Engine.Compilation;
using Firewall.Engine.Evaluation;
using Firewall.Engine.Packets;

namespace Firewall.Runs;

/// <summary>
/// <c>--threads N</c>: flows are split evenly into N shards by address pair (<see cref="Sharding"/>), each
/// owned by one evaluator. The work comes in batches of packets, in three kinds of task: reading and
/// decoding a batch, evaluating one shard's packets of a batch, and merging a finished batch (renumbering
/// flows through a <see cref="ShardMerger"/> and writing per-packet output). Each kind runs on one batch at
/// a time and takes batches in capture order, so every evaluator sees its packets in order and results,
/// counters and output are those of one evaluator, whatever the timing. Which thread runs a task is not
/// fixed: N threads (the calling one and N−1 more) each take the first task they can, so reading and
/// merging go to whichever thread is free and no thread has to be given a smaller share ahead of time.
/// A thread evaluates only its own shard, which keeps each evaluator's tables in one core's cache. When
/// per-packet output is written, merging costs more than the rest: then the calling thread only reads and
/// merges, owning no flows, and the others only evaluate. Batches live in a fixed ring and are reused, so
/// the steady state allocates nothing.
/// </summary>
internal static partial class ShardedCaptureRun
{
    private const int BatchSize = 1024;
    private const int BatchesPerThread = 8;
    private const int BatchesPerThreadWriting = 2;
    private const int MaxBatches = 64;
    private const int SpinsBeforeSleep = 200;
    private const int OwnBacklog = 2;

    private sealed class Batch
    {
        public readonly PacketInfo[] Packets = new PacketInfo[BatchSize];
        public readonly PacketResult[] Results = new PacketResult[BatchSize];
        public readonly byte[] Shards = new byte[BatchSize];
        public int Count;
    }

    private sealed class Run
    {
        public required PacketReader Reader { get; init; }
        public required ShardSplit Split { get; init; }
        public required Evaluator[] Evaluators { get; init; }
        public required ShardMerger Merger { get; init; }
        public required Batch[] Ring { get; init; }
        public required Schedule Schedule { get; init; }
        public required IRunSink? PacketWriter { get; init; }
        public required RunProgress Progress { get; init; }
        public required string CaptureName { get; init; }
        public ReadFailure? ReadFailure;
    }

    public static CaptureRunResult Evaluate(
        PacketReader reader,
        CompiledRuleset rules,
        EvaluationOptions options,
        int threads,
        RunNames names,
        IRunSink? packetWriter,
        RunProgress progress)
    {
        // One thread has nothing to share: the caller evaluates it alone (and the writing policy below would
        // leave every packet to a shard nobody evaluates).
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 2);
        var run = Prepare(reader, rules, options, threads, names, packetWriter, progress);
        var workers = StartWorkers(run, threads);
        Work(run, 0);
        foreach (var worker in workers)
        {
            worker.Join();
        }
        progress.Done();
        run.Schedule.Failure?.Throw();
        if (run.ReadFailure is not null)
        {
            return CaptureRunResult.Stopped(run.ReadFailure);
        }
        var caveats = run.Merger.Caveats().ToList();
        var (counters, flows) = run.Merger.Finish();
        return new CaptureRunResult(new RunReport(rules, options, counters, flows, CaptureRun.Input(reader, names)), null, caveats);
    }

    /// <summary>The ring of batches, one evaluator per shard, and the schedule, before any thread starts.</summary>
    private static Run Prepare(
        PacketReader reader, CompiledRuleset rules, EvaluationOptions options, int threads, RunNames names, IRunSink? packetWriter, RunProgress progress)
    {
        // Merging formats packets the reading thread decoded: when it writes them, fewer batches in flight
        // keep them in its cache. A batch is about 270 KB: the ring stays bounded however many threads run.
        var ring = new Batch[Math.Min(MaxBatches, threads * (packetWriter is null ? BatchesPerThread : BatchesPerThreadWriting))];
        for (var i = 0; i < ring.Length; i++)
        {
            ring[i] = new Batch();
        }
        var evaluators = new Evaluator[threads];
        for (var s = 0; s < threads; s++)
        {
            evaluators[s] = new Evaluator(rules, options);
        }
        return new Run
        {
            Reader = reader,
            // Shard 0 is the calling thread's: it owns no flows when it only reads and merges.
            Split = packetWriter is null ? ShardSplit.Even(threads) : ShardSplit.WithFirstShare(threads, 0),
            Evaluators = evaluators,
            Merger = new ShardMerger(evaluators),
            Ring = ring,
            Schedule = new Schedule(threads, ring.Length, firstReadsAndMerges: packetWriter is not null),
            PacketWriter = packetWriter,
            Progress = progress,
            CaptureName = names.Capture,
        };
    }

    /// <summary>The threads of shards 1 to N−1; the calling thread is shard 0's.</summary>
    private static List<Thread> StartWorkers(Run run, int threads)
    {
        var workers = new List<Thread>(threads - 1);
        try
        {
            for (var shard = 1; shard < threads; shard++)
            {
                var owner = shard;
                var worker = new Thread(() => Work(run, owner))
                {
                    IsBackground = true,
                    Name = $"firewall shard {owner}",
                };
                worker.Start();
                workers.Add(worker);
            }
        }
        catch (Exception ex)
        {
            // No thread to spare (a process or memory limit): stop the ones started before the reader goes.
            lock (run.Schedule)
            {
                run.Schedule.Failure ??= ExceptionDispatchInfo.Capture(ex);
                Monitor.PulseAll(run.Schedule);
            }
        }
        return workers;
    }

    /// <summary>One thread's loop: take the next task it may start, run it outside the lock, record it, repeat.</summary>
    private static void Work(Run run, int shard)
    {
        var schedule = run.Schedule;
        while (true)
        {
            var (task, batch) = Take(schedule, shard);
            if (task == TaskKind.None)
            {
                return;
            }
            var more = true;
            ExceptionDispatchInfo? failure = null;
            try
            {
                var slot = run.Ring[batch % run.Ring.Length];
                switch (task)
                {
                    case TaskKind.Read:
                        more = Read(run, slot);
                        break;
                    case TaskKind.Merge:
                        Merge(run, slot);
                        break;
                    default:
                        EvaluateShard(run.Evaluators[shard], slot, (byte)shard);
                        break;
                }
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            lock (schedule)
            {
                schedule.Finish(task, shard, more, failure);
            }
        }
    }

    /// <summary>Waits for a task this thread may start and marks it running; none once the run is finished.</summary>
    private static (TaskKind Task, long Batch) Take(Schedule schedule, int shard)
    {
        while (true)
        {
            long seen;
            lock (schedule)
            {
                var task = schedule.Next(shard);
                if (task != TaskKind.None)
                {
                    return (task, schedule.Start(task, shard));
                }
                if (schedule.Finished)
                {
                    return (TaskKind.None, 0);
                }
                seen = schedule.Version;
            }
            // Another thread ends a task every few microseconds; waking from a sleep can cost more than that.
            var spin = new SpinWait();
            while (Volatile.Read(ref schedule.Version) == seen && spin.Count < SpinsBeforeSleep)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
            lock (schedule)
            {
                if (schedule.Version == seen)
                {
                    schedule.Sleepers++;
                    Monitor.Wait(schedule);
                    schedule.Sleepers--;
                }
            }
        }
    }

    /// <returns>Whether the input may have more packets after this batch.</returns>
    // Entered once per batch and looping over its packets: compiled optimized at once, since a published
    // (precompiled) build would otherwise keep its precompiled code, which never inlines across assemblies.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Read(Run run, Batch batch)
    {
        var reader = run.Reader;
        var split = run.Split;
        batch.Count = 0;
        try
        {
            while (batch.Count < BatchSize)
            {
                // Decoded straight into the batch: a packet is never copied.
                ref var packet = ref batch.Packets[batch.Count];
                if (!reader.TryReadNext(ref packet))
                {
                    return false;
                }
                batch.Shards[batch.Count++] = (byte)split.ShardOf(in packet);
            }
            return true;
        }
        catch (IOException ex)
        {
            run.ReadFailure = new ReadFailure(run.CaptureName, run.Reader.Capture.FramesRead, ex.Message);
            return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EvaluateShard(Evaluator evaluator, Batch batch, byte shard)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch.Shards[i] == shard)
            {
                evaluator.Evaluate(in batch.Packets[i], ref batch.Results[i]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Merge(Run run, Batch batch)
    {
        var merger = run.Merger;
        var packetWriter = run.PacketWriter;
        for (var i = 0; i < batch.Count; i++)
        {
            ref var result = ref batch.Results[i];
            merger.Map(batch.Shards[i], ref result);
            packetWriter?.WritePacket(in batch.Packets[i], in result);
            run.Progress.Tick(merger.Frames, merger.FlowCount);
        }
    }
}
