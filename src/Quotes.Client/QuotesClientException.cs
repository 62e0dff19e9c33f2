using Quotes.Contracts;

namespace Quotes.Client;

/// <summary>
/// The server refused a request, or the client key: <see cref="Code"/> is the protocol's error code
/// (<see cref="ErrorCodes"/>: <c>SYMBOL_LIMIT</c>, <c>INVALID_SYMBOL</c>, <c>CAPACITY</c>, <c>RATE_LIMITED</c>,
/// <c>UNAUTHORIZED</c>, …) and <see cref="Symbols"/> the entries the server named, if any.
/// </summary>
public sealed class QuotesClientException(string code, string message, IReadOnlyList<string>? symbols = null) : Exception(message)
{
    public string Code { get; } = code;

    public IReadOnlyList<string> Symbols { get; } = symbols ?? [];

    internal static QuotesClientException From(ServerMessages.Error error) => new(error.Code, error.Message, error.Symbols);
}
