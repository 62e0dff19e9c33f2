using System.Text.Json;

namespace Quotes.Contracts;

/// <summary>A validated client request (PROTOCOL.md, "Client messages"). <see cref="Id"/> is echoed on the reply.</summary>
public abstract record ClientCommand(JsonElement? Id)
{
    public sealed record Subscribe(IReadOnlyList<string> Symbols, JsonElement? Id) : ClientCommand(Id);
    public sealed record Unsubscribe(IReadOnlyList<string> Symbols, JsonElement? Id) : ClientCommand(Id);
    public sealed record Ping(JsonElement? Id) : ClientCommand(Id);

    /// <summary>A frame that could not become a command; answered with this error, the connection stays open.</summary>
    public sealed record Invalid(ServerMessages.Error Error) : ClientCommand(Error.Id);
}
