using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Quotes.Testing;

/// <summary>
/// Every log event as it enters the pipeline, before the host's <c>SecretRedactor</c> masks anything (the redactor is the
/// last enricher): its template, its rendered message and its properties, for specs that show a secret never reaches the
/// log at all rather than only that it was masked.
/// </summary>
public sealed class RawLogCapture : ILogEventEnricher
{
    private readonly ConcurrentQueue<string> _events = new();

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
        _events.Enqueue($"{logEvent.MessageTemplate.Text} | {logEvent.RenderMessage()} | {properties} | {logEvent.Exception}");
    }

    public IReadOnlyList<string> Lines => _events.ToArray();
}
