using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Quotes.Host.Composition;

/// <summary>
/// Keeps secrets out of the log whatever the level: every string in every log event's properties (a request's query
/// string, a URL, a header, a message argument) has each known secret (the Polygon key, client keys, the admin key)
/// and any <c>apiKey=…</c>-style parameter value replaced by <c>***</c>. Needed because ASP.NET's request logging
/// (Information/Debug) prints full URLs, and browsers can only send the key in the query string.
/// </summary>
public sealed partial class SecretRedactor : ILogEventEnricher
{
    public const string Mask = "***";

    [GeneratedRegex(@"(?i)(\b(?:api[_-]?key|access[_-]?token|token|key)=)[^&\s""'#]+")]
    private static partial Regex KeyParameter();

    private readonly Lock _lock = new();
    private volatile string[] _secrets = [];

    /// <summary>Adds a secret to mask from now on. Short values (under 8 characters) are masked only as parameters.</summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 8) return;
        lock (_lock)
            if (!_secrets.Contains(secret)) _secrets = [.. _secrets, secret];
    }

    public string Redact(string text)
    {
        var result = text;
        foreach (var secret in _secrets)
            if (result.Contains(secret, StringComparison.Ordinal)) result = result.Replace(secret, Mask, StringComparison.Ordinal);
        return result.Contains('=') ? KeyParameter().Replace(result, "$1" + Mask) : result;
    }

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
            if (Redact(value) is { } redacted) (changed ??= []).Add(new LogEventProperty(name, redacted));
        if (changed is null) return;
        foreach (var property in changed) logEvent.AddOrUpdateProperty(property);
    }

    /// <summary>The value with secrets masked, or null when it held none.</summary>
    private LogEventPropertyValue? Redact(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string or Uri } scalar:
                var text = scalar.Value!.ToString()!;
                var masked = Redact(text);
                return masked == text ? null : new ScalarValue(masked);
            case SequenceValue sequence:
                var items = sequence.Elements.Select(e => Redact(e) ?? e).ToList();
                return items.SequenceEqual(sequence.Elements) ? null : new SequenceValue(items);
            case StructureValue structure:
                var properties = structure.Properties.Select(p => Redact(p.Value) is { } r ? new LogEventProperty(p.Name, r) : p).ToList();
                return properties.SequenceEqual(structure.Properties) ? null : new StructureValue(properties, structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, Redact(e.Value) ?? e.Value)).ToList();
                return entries.Select(e => e.Value).SequenceEqual(dictionary.Elements.Select(e => e.Value)) ? null : new DictionaryValue(entries);
            default:
                return null;
        }
    }
}
