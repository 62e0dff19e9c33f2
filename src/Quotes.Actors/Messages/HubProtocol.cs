using Akka.Actor;
using Quotes.Actors.Outbox;
using Quotes.Contracts;

namespace Quotes.Actors.Messages;

/// <summary>
/// Messages between local sessions and their node's hub (local only: they carry the session's outbox), the hub's report,
/// and a leaving node's quotes for the other hubs (<see cref="Bequest"/>).
/// </summary>
public static class HubProtocol
{
    /// <summary>A new session; the hub watches it and, for AkkaQuotes clients, sends it the current status.</summary>
    public sealed record Register(IActorRef Session, SessionOutbox Outbox, SessionFormat Format = SessionFormat.Quotes) : INoSerializationVerificationNeeded;

    /// <summary>The session now holds these symbols; the hub offers a snapshot for each one with a known price.</summary>
    public sealed record Subscribe(IActorRef Session, IReadOnlyList<string> Symbols) : INoSerializationVerificationNeeded;

    public sealed record Unsubscribe(IActorRef Session, IReadOnlyList<string> Symbols) : INoSerializationVerificationNeeded;

    /// <summary>Sent by a hub that is restarting after a failure to every session it knew: register again, with every symbol held.</summary>
    public sealed class Rejoin : INoSerializationVerificationNeeded
    {
        public static readonly Rejoin Instance = new();
        private Rejoin() { }
    }

    /// <summary>
    /// The node is stopping (the host's <c>ApplicationStopping</c>, as its clients are closed with 1001): the hub sends the
    /// latest quote of every symbol its clients held to the other nodes' hubs (<see cref="Bequest"/>).
    /// </summary>
    public sealed class Bequeath : INoSerializationVerificationNeeded
    {
        public static readonly Bequeath Instance = new();
        private Bequeath() { }
    }

    /// <summary>
    /// A leaving node's latest quotes, one per symbol its clients held. A hub that does not hold a symbol keeps its quote as a
    /// released one, so a client of the leaving node that reconnects there and subscribes seeds the symbol's next incarnation
    /// with it: <c>seq</c> and the day go on, even for a symbol whose every holder was on the leaving node. Sent only to nodes
    /// that read it (<see cref="Cluster.NodeBatches.ReadsBequests"/>).
    /// </summary>
    public sealed record Bequest(IReadOnlyList<Quote> Quotes) : IQuotesMessage;

    /// <summary>Asks for a report; answered with <see cref="Report"/>.</summary>
    public sealed class GetReport : IQuotesMessage
    {
        public static readonly GetReport Instance = new();
        private GetReport() { }
    }

    /// <param name="Subscriptions">Symbols held summed over this node's clients.</param>
    /// <param name="SlowConsumersClosed">Clients this node closed as slow consumers since it started (<see cref="Quotes.Actors.Sessions.SocketCounters"/>).</param>
    public sealed record Report(int Sessions, int Symbols, string Upstream, string UpstreamReason, string Market,
        OutboxBacklog Backlog, int Subscriptions = 0, long SlowConsumersClosed = 0) : IQuotesMessage;
}
