using System.Text.Json;

namespace Quotes.Contracts;

/// <summary>
/// Encodes server messages to UTF-8 JSON, the one place that does. A quote is encoded once per node and the same
/// bytes go to every local session; frames are built by joining encoded messages inside <c>[...]</c>.
/// </summary>
public static class ServerMessageEncoder
{
    private static readonly QuotesJsonContext Json = QuotesJsonContext.Default;

    public static byte[] Encode(Quote quote) => JsonSerializer.SerializeToUtf8Bytes(quote, Json.Quote);
    public static byte[] Encode(ServerMessages.Welcome message) => JsonSerializer.SerializeToUtf8Bytes(message, Json.Welcome);
    public static byte[] Encode(ServerMessages.Status message) => JsonSerializer.SerializeToUtf8Bytes(message, Json.Status);
    public static byte[] Encode(ServerMessages.Subscribed message) => JsonSerializer.SerializeToUtf8Bytes(message, Json.Subscribed);
    public static byte[] Encode(ServerMessages.Unsubscribed message) => JsonSerializer.SerializeToUtf8Bytes(message, Json.Unsubscribed);
    public static byte[] Encode(ServerMessages.Pong message) => JsonSerializer.SerializeToUtf8Bytes(message, Json.Pong);
    public static byte[] Encode(ServerMessages.Error message) => JsonSerializer.SerializeToUtf8Bytes(message, Json.Error);
}
