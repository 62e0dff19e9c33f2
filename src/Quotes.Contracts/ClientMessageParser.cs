using System.Text.Json;

namespace Quotes.Contracts;

/// <summary>
/// Turns one client frame into a <see cref="ClientCommand"/>. Pure and total: any input gives either a
/// command with normalised, de-duplicated symbols or <see cref="ClientCommand.Invalid"/> with the protocol's error.
/// </summary>
public static class ClientMessageParser
{
    /// <summary>Parses under <paramref name="limits"/> (the server's configured ones; the contract's when none is given).</summary>
    public static ClientCommand Parse(ReadOnlySpan<byte> utf8, ProtocolLimits? limits = null)
    {
        limits ??= ProtocolLimits.Default;
        if (utf8.Length > limits.MaxFrameBytes)
            return Fail(ErrorCodes.MessageTooLarge, limits.FrameTooLarge);

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8.ToArray(), limits.ClientJson);
        }
        catch (JsonException)
        {
            return Fail(ErrorCodes.BadJson, JsonRejection.Describe(utf8, limits.ClientJson));
        }
        catch (ArgumentException)
        {
            return Fail(ErrorCodes.BadJson, "the message is not valid UTF-8 JSON");
        }

        using (doc)
        {
            try
            {
                return Interpret(doc.RootElement);
            }
            catch (InvalidOperationException)
            {
                // A string escape that is not Unicode (a lone surrogate such as "\ud800") parses as JSON but has no text.
                return Fail(ErrorCodes.BadJson, "the message holds a string that is not valid Unicode");
            }
        }
    }

    private static ClientCommand Interpret(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return Fail(ErrorCodes.BadJson, "a client message must be a JSON object");

        JsonElement? id = null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                return Fail(ErrorCodes.BadJson, "\"id\" must be a string or a number");
            if (idElement.ValueKind == JsonValueKind.String && idElement.GetString()!.Length > 128)
                return Fail(ErrorCodes.BadJson, "\"id\" may be at most 128 characters");
            id = idElement.Clone();
        }

        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            return Fail(ErrorCodes.BadJson, "\"type\" must be a string", id);

        return type.GetString() switch
        {
            "subscribe" => ParseSymbols(root, id, symbols => new ClientCommand.Subscribe(symbols, id)),
            "unsubscribe" => ParseSymbols(root, id, symbols => new ClientCommand.Unsubscribe(symbols, id)),
            "ping" => new ClientCommand.Ping(id),
            _ => Fail(ErrorCodes.UnknownType, "type must be one of subscribe, unsubscribe, ping", id),
        };
    }

    private static ClientCommand ParseSymbols(JsonElement root, JsonElement? id, Func<IReadOnlyList<string>, ClientCommand> make)
    {
        if (!root.TryGetProperty("symbols", out var array) || array.ValueKind != JsonValueKind.Array)
            return Fail(ErrorCodes.BadJson, "\"symbols\" must be an array of strings", id);
        if (array.GetArrayLength() == 0)
            return Fail(ErrorCodes.BadJson, "\"symbols\" must name at least one symbol", id);

        var symbols = new List<string>();
        var invalid = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                return Fail(ErrorCodes.BadJson, "\"symbols\" must be an array of strings", id);
            var raw = item.GetString();
            if (SymbolRules.TryNormalize(raw, out var symbol))
            {
                if (!symbols.Contains(symbol)) symbols.Add(symbol);
            }
            else if (invalid.Count < SymbolRules.MaxPerConnection) // echoes are capped at the contract's count
            {
                invalid.Add(Printable(raw ?? string.Empty));
            }
        }

        return invalid.Count > 0
            ? Fail(ErrorCodes.InvalidSymbol, "symbols must match ^[A-Z][A-Z0-9.\\-]{0,9}$ after trimming and upper-casing", id, invalid)
            : make(symbols);
    }

    /// <summary>Echoes a rejected symbol safely: control characters escaped, length capped.</summary>
    private static string Printable(string raw)
    {
        var capped = raw.Length > 20 ? raw[..20] + "…" : raw;
        return string.Concat(capped.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    private static ClientCommand.Invalid Fail(string code, string message, JsonElement? id = null, IReadOnlyList<string>? symbols = null) =>
        new(new ServerMessages.Error(code, message, symbols, id));
}
