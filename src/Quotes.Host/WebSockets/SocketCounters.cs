namespace Quotes.Host.WebSockets;

/// <summary>Node-wide counts of how client sockets ended, for operators (<c>/admin/cluster</c>) and tests.</summary>
public sealed class SocketCounters
{
    private long _slowConsumers;

    /// <summary>Clients closed with 1008 <c>slow consumer</c> (or cut off after it) because they accepted nothing for the send timeout.</summary>
    public long SlowConsumersClosed => Interlocked.Read(ref _slowConsumers);

    public void SlowConsumerClosed() => Interlocked.Increment(ref _slowConsumers);
}
