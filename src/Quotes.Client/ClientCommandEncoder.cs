using System.Buffers;
using System.Text.Json;

namespace Quotes.Client;

/// <summary>
/// Encodes what the client sends (PROTOCOL.md, "What you can send"): one JSON object per text frame, with a numeric
/// <c>id</c> that the server echoes on the reply.
/// </summary>
internal static class ClientCommandEncoder
{
    public static byte[] Subscribe(long id, IEnumerable<string> symbols) => WithSymbols("subscribe", id, symbols);

    public static byte[] Unsubscribe(long id, IEnumerable<string> symbols) => WithSymbols("unsubscribe", id, symbols);

    public static byte[] Ping() => "{\"type\":\"ping\"}"u8.ToArray();

    private static byte[] WithSymbols(string type, long id, IEnumerable<string> symbols)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteStartArray("symbols");
            foreach (var symbol in symbols) json.WriteStringValue(symbol);
            json.WriteEndArray();
            json.WriteNumber("id", id);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
