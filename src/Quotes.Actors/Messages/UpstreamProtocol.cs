using Akka.Actor;

namespace Quotes.Actors.Messages;

/// <summary>Messages of the upstream singleton. Sent only through its proxy.</summary>
public static class UpstreamProtocol
{
    /// <summary>An entity wants the symbol's upstream channel. A lease, renewed while the entity has interest.</summary>
    public sealed record Want(string Symbol) : IQuotesMessage;

    /// <summary>
    /// The renewals of <see cref="Want"/> of the entities on one node since its last batch, sent by that node's
    /// <see cref="Symbols.UpdateBatcher"/>: one remote message per node and renewal round instead of one per symbol. Only
    /// while every member reads it (<see cref="Cluster.NodeBatches"/>); its sender's node is the symbols' home.
    /// </summary>
    public sealed record WantBatch(IReadOnlyList<string> Symbols) : IQuotesMessage;

    /// <summary>The entity lost its last interest; the channel goes after the linger.</summary>
    public sealed record Unwant(string Symbol) : IQuotesMessage;

    /// <summary>
    /// Sent by a new upstream holder to every node's hub as it starts: each answers with <see cref="HubWants"/>, so the
    /// new connection subscribes every wanted symbol at once instead of waiting for the entities' lease renewals.
    /// </summary>
    public sealed class RecallWants : IQuotesMessage
    {
        public static readonly RecallWants Instance = new();
        private RecallWants() { }
    }

    /// <summary>A hub's answer to <see cref="RecallWants"/>: every symbol its clients hold. Also registers it as a status watcher.</summary>
    public sealed record HubWants(IActorRef Hub, IReadOnlyList<string> Symbols) : IQuotesMessage;

    /// <summary>A hub wants every upstream state change. Renewed like an interest; answered at once with the current state.</summary>
    public sealed record WatchStatus(IActorRef Hub) : IQuotesMessage;

    /// <summary>The upstream connection's state, one of <c>Contracts.UpstreamStates</c>, with a reason for operators.</summary>
    /// <param name="Simulated">
    /// The last connection announced itself as a simulator (<c>"simulated":true</c> in its <c>connected</c> status): every
    /// node then reports its feed as <c>simulator</c>, whatever <c>Polygon:Feed</c> says. False from a holder that predates it.
    /// </param>
    public sealed record StatusChanged(string State, string Reason, bool Simulated = false) : IQuotesMessage;

    /// <summary>
    /// The singleton's termination message on hand-over: the holder closes its socket and then stops, so the next holder
    /// connects only after the old connection is gone. Local: sent by this node's singleton manager.
    /// </summary>
    public sealed class HandOver : INoSerializationVerificationNeeded
    {
        public static readonly HandOver Instance = new();
        private HandOver() { }
    }

    /// <summary>
    /// A session asks before it holds symbols it did not hold: answered with <see cref="Admission"/>. Admitted, each symbol is
    /// wanted at once (so concurrent requests cannot both take the last room); refused whole when the upstream would carry
    /// more than <c>Polygon:MaxSymbols</c>. Symbols already carried (or lingering) cost nothing.
    /// </summary>
    public sealed record Admit(IReadOnlyList<string> Symbols) : IQuotesMessage;

    /// <param name="Carried">Symbols the upstream carries or holds for a linger now.</param>
    /// <param name="Max">The cluster's cap, <c>Polygon:MaxSymbols</c>.</param>
    public sealed record Admission(bool Admitted, int Carried, int Max) : IQuotesMessage;

    /// <summary>Which of these symbols some client streams now (a live want); answered with <see cref="Streamed"/>. REST reads ask it so as never to create an entity.</summary>
    public sealed record GetStreamed(IReadOnlyList<string> Symbols) : IQuotesMessage;

    public sealed record Streamed(IReadOnlyList<string> Symbols) : IQuotesMessage;

    /// <summary>Asks for a report; answered with <see cref="Report"/>.</summary>
    public sealed class GetReport : IQuotesMessage
    {
        public static readonly GetReport Instance = new();
        private GetReport() { }
    }

    /// <param name="Attempt">Reconnect attempts since the last connection that stayed healthy.</param>
    /// <param name="RecentDelays">The last reconnect delays scheduled (backoff or cooldown), oldest first.</param>
    /// <param name="Malformed">Upstream events skipped as malformed since start.</param>
    /// <param name="Node">The address of the node holding the connection.</param>
    /// <param name="MaxSymbols">The cluster's cap, <c>Polygon:MaxSymbols</c> (0 from a holder that predates it).</param>
    /// <param name="OverCap">Distinct symbols wanted in the last minute but not subscribed because the upstream was at its cap.</param>
    /// <param name="Conflated">Aggregates dropped since start because a newer one for the same symbol came while the pipeline was behind (0 from an older holder).</param>
    public sealed record Report(string State, string Reason, IReadOnlyList<string> Wanted, IReadOnlyList<string> Subscribed, int ConnectionsOpened,
        int Attempt, IReadOnlyList<TimeSpan> RecentDelays, long Malformed, string Node, int MaxSymbols = 0, int OverCap = 0, long Conflated = 0) : IQuotesMessage;
}
