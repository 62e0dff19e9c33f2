using System.Text.Json;

namespace Quotes.Contracts;

/// <summary>
/// Why a client frame that the JSON reader refused was refused, in the client's terms: nested deeper than the protocol
/// allows, or not JSON at all. Only on the error path: it reads the frame once more, without a depth bound (the reader
/// keeps no stack, so depth costs it nothing).
/// </summary>
public static class JsonRejection
{
    public const string NotJson = "the message is not valid JSON";

    /// <param name="utf8">The frame that <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> refused under <paramref name="refused"/>.</param>
    public static string Describe(ReadOnlySpan<byte> utf8, JsonDocumentOptions refused)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            MaxDepth = utf8.Length + 1,
            AllowTrailingCommas = refused.AllowTrailingCommas,
            CommentHandling = refused.CommentHandling,
        });
        try
        {
            while (reader.Read()) { }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return NotJson;
        }
        // Read whole without a depth bound: only the depth bound refused it.
        var depth = MaxDepthOf(refused);
        return $"the message is nested more than {depth} level{(depth == 1 ? "" : "s")} deep";
    }

    private static int MaxDepthOf(JsonDocumentOptions options) => options.MaxDepth == 0 ? 64 : options.MaxDepth;
}
