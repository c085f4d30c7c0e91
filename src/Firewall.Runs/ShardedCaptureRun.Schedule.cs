using System.Runtime.ExceptionServices;

namespace Firewall.Runs;

/// <summary>The schedule of <see cref="ShardedCaptureRun"/>: which task each thread may start next.</summary>
internal static partial class ShardedCaptureRun
{
    private enum TaskKind
    {
        None,
        Read,
        Evaluate,
        Merge,
    }

    /// <summary>What each kind of task has done, and which are running; every field is guarded by the instance's lock.</summary>
    private sealed class Schedule(int shards, int ring, bool firstReadsAndMerges)
    {
        public readonly int Ring = ring;

        /// <summary>
        /// The first thread only reads and merges and owns no flows; the others only evaluate. Chosen when
        /// per-packet output is written: merging is then the longest chain of work, and it never waits for
        /// the merging thread to evaluate.
        /// </summary>
        public readonly bool FirstReadsAndMerges = firstReadsAndMerges;
        public readonly long[] Evaluated = new long[shards];
        public readonly bool[] Evaluating = new bool[shards];
        public long Read;
        public long Merged;
        public bool Reading;
        public bool Merging;
        public bool InputEnded;
        public ExceptionDispatchInfo? Failure;

        /// <summary>Bumped whenever a task ends: a waiting thread spins on it for a while before it sleeps.</summary>
        public long Version;
        public int Sleepers;

        public bool Finished => Failure is not null || (InputEnded && !Reading && Merged == Read);

        /// <summary>The first task the thread that owns <paramref name="shard"/> may start now.</summary>
        public TaskKind Next(int shard)
        {
            if (Failure is not null)
            {
                return TaskKind.None;
            }
            if (FirstReadsAndMerges)
            {
                // Reading first, merging when the ring is full or the input ended: the reading thread then
                // formats packets it decoded itself a few batches ago, still in its cache.
                return shard > 0 ? (CanEvaluate(shard, 1) ? TaskKind.Evaluate : TaskKind.None)
                    : CanRead ? TaskKind.Read
                    : CanMerge ? TaskKind.Merge
                    : TaskKind.None;
            }
            // Merging frees a slot of the ring, and reading fills one: both keep every thread supplied. The
            // thread that reads falls behind with its own shard: past a few batches it evaluates and leaves
            // the reading to a thread that has caught up.
            return CanMerge ? TaskKind.Merge
                : CanEvaluate(shard, OwnBacklog) ? TaskKind.Evaluate
                : CanRead ? TaskKind.Read
                : CanEvaluate(shard, 1) ? TaskKind.Evaluate
                : TaskKind.None;
        }

        /// <summary>Marks <paramref name="task"/> running for <paramref name="shard"/>'s thread; returns the batch it works on.</summary>
        public long Start(TaskKind task, int shard)
        {
            switch (task)
            {
                case TaskKind.Read:
                    Reading = true;
                    return Read;
                case TaskKind.Merge:
                    Merging = true;
                    return Merged;
                default:
                    Evaluating[shard] = true;
                    return Evaluated[shard];
            }
        }

        /// <summary>Records that <paramref name="task"/> ended, and wakes whoever waits for that.</summary>
        public void Finish(TaskKind task, int shard, bool more, ExceptionDispatchInfo? failure)
        {
            switch (task)
            {
                case TaskKind.Read:
                    Reading = false;
                    Read++;
                    InputEnded = !more;
                    break;
                case TaskKind.Merge:
                    Merging = false;
                    Merged++;
                    break;
                default:
                    Evaluating[shard] = false;
                    Evaluated[shard]++;
                    break;
            }
            Failure ??= failure;
            Version++;
            if (Sleepers > 0)
            {
                Monitor.PulseAll(this);
            }
        }

        private bool CanRead => !Reading && !InputEnded && Read - Merged < Ring;

        private bool CanMerge => !Merging && Merged < Read && AllEvaluated(Merged);

        private bool CanEvaluate(int shard, int backlog) => !Evaluating[shard] && Read - Evaluated[shard] >= backlog;

        private bool AllEvaluated(long batch)
        {
            for (var shard = FirstReadsAndMerges ? 1 : 0; shard < Evaluated.Length; shard++)
            {
                if (Evaluated[shard] <= batch)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
