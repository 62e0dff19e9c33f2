using Akka.Configuration;
using Akka.Dispatch;

namespace Quotes.Actors;

/// <summary>
/// Dedicated threads for a dispatcher that sleep as soon as they run out of work. Akka's own dedicated pool (the
/// ForkJoinDispatcher's) spins before it sleeps: each idle worker calls <c>Thread.Sleep(0)</c> 50 to 100 times on a
/// two-core machine, a system call each, every time the queue runs dry. The quote data path goes idle between bursts
/// thousands of times a second on a cluster (every remote message wakes it), so that spinning was a visible part of
/// its CPU cost (docs/PERFORMANCE.md). Here an idle worker waits on a monitor at once and is woken by the next task.
/// <para>Used as <c>executor = "Quotes.Actors.QuietThreadPoolConfigurator, Quotes.Actors"</c> with
/// <c>quiet-thread-pool.thread-count</c> (see <see cref="FanoutDispatcher"/>).</para>
/// </summary>
public sealed class QuietThreadPool : ExecutorService
{
    private readonly Queue<IRunnable> _queue = new();
    private readonly object _gate = new();
    private readonly Thread[] _threads;
    private int _waiting;
    private bool _shutdown;

    public QuietThreadPool(string id, int threadCount) : base(id)
    {
        _threads = new Thread[Math.Max(1, threadCount)];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"{id}_{i + 1}" };
            _threads[i].Start();
        }
    }

    public override void Execute(IRunnable run)
    {
        lock (_gate)
        {
            if (_shutdown) throw new RejectedExecutionException($"{Id} is shut down");
            _queue.Enqueue(run);
            if (_waiting > 0) Monitor.Pulse(_gate);
        }
    }

    public override void Shutdown()
    {
        lock (_gate)
        {
            _shutdown = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Work()
    {
        while (true)
        {
            IRunnable run;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (_shutdown) return;
                    _waiting++;
                    Monitor.Wait(_gate);
                    _waiting--;
                }
                run = _queue.Dequeue();
            }
            try
            {
                run.Run();
            }
            catch (Exception e)
            {
                // As Akka's pools do: a task's failure must not end the thread (actors handle their own failures).
                Console.Error.WriteLine($"{Id}: a task failed: {e}");
            }
        }
    }
}

/// <summary>Reads <c>quiet-thread-pool.thread-count</c> from the dispatcher's config (default: one per core, at least two).</summary>
public sealed class QuietThreadPoolConfigurator(Config config, IDispatcherPrerequisites prerequisites)
    : ExecutorServiceConfigurator(config, prerequisites)
{
    public override ExecutorService Produce(string id) =>
        new QuietThreadPool(id, Config.GetInt("quiet-thread-pool.thread-count", Math.Max(2, Environment.ProcessorCount)));
}
