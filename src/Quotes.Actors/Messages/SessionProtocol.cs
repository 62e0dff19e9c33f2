using Akka.Actor;
using Quotes.Contracts;

namespace Quotes.Actors.Messages;

/// <summary>Messages of a client session. Local only.</summary>
public static class SessionProtocol
{
    /// <summary>A parsed client frame (valid or not) in arrival order.</summary>
    public sealed record Command(ClientCommand Value) : INoSerializationVerificationNeeded;
}
