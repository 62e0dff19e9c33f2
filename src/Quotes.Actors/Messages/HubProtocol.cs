using Akka.Actor;
using Quotes.Actors.Outbox;

namespace Quotes.Actors.Messages;

/// <summary>Messages between local sessions and their node's hub. Local only: they carry the session's outbox.</summary>
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
