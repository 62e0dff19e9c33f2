using System.Text.Json;
using Quotes.Contracts;

namespace Quotes.Client;

/// <summary>
/// Turns one server frame (always a JSON array, PROTOCOL.md "Frames") into the contracts' message records, in order:
/// <see cref="Quote"/>, <see cref="ServerMessages.Welcome"/>, <see cref="ServerMessages.Status"/>,
/// <see cref="ServerMessages.Subscribed"/>, <see cref="ServerMessages.Unsubscribed"/>, <see cref="ServerMessages.Pong"/>
/// and <see cref="ServerMessages.Error"/>. Messages of a type this version does not know are skipped (the protocol adds
/// them compatibly); a frame that is not an array of objects with a <c>type</c> throws <see cref="JsonException"/>.
/// </summary>
internal static class ServerFrameParser
{
    private static readonly QuotesJsonContext Json = QuotesJsonContext.Default;

    public static List<object> Parse(ReadOnlyMemory<byte> frame)
    {
        using var document = JsonDocument.Parse(frame);
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new JsonException("a server frame must be a JSON array");
        var messages = new List<object>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray())
            if (ParseMessage(element) is { } message) messages.Add(message);
        return messages;
    }

    private static object? ParseMessage(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            throw new JsonException("a server message must be an object with a string type");
        return type.GetString() switch
        {
            "quote" => element.Deserialize(Json.Quote),
            "welcome" => element.Deserialize(Json.Welcome),
            "status" => element.Deserialize(Json.Status),
            "subscribed" => element.Deserialize(Json.Subscribed),
            "unsubscribed" => element.Deserialize(Json.Unsubscribed),
            "pong" => element.Deserialize(Json.Pong),
            "error" => element.Deserialize(Json.Error),
            _ => null,
        };
    }
}
