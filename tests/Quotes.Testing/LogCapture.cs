using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Quotes.Testing;

/// <summary>
/// Every log event the host writes (ASP.NET and Akka alike, at every level), rendered in full with its properties. With
/// several hosts in one test process, Akka's lines land in the capture of the host created last (Akka.Logger.Serilog
/// writes to the process's one static logger), and none are kept once that host has stopped.
/// </summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<(LogEventLevel Level, string Text)> _events = new();

    public void Emit(LogEvent logEvent)
    {
        var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
        _events.Enqueue((logEvent.Level, $"{logEvent.Timestamp:HH:mm:ss.fff} {logEvent.RenderMessage()} {properties} {logEvent.Exception}"));
    }

    public IReadOnlyList<string> Lines => _events.Select(e => e.Text).ToList();

    /// <summary>Every event so far, in order, with its level.</summary>
    public IReadOnlyList<(LogEventLevel Level, string Text)> Entries => _events.ToList();

    public IReadOnlyList<string> At(LogEventLevel level) => _events.Where(e => e.Level == level).Select(e => e.Text).ToList();
}
