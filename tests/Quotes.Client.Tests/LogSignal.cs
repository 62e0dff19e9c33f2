using Serilog.Core;
using Serilog.Events;

namespace Quotes.Client.Tests;

/// <summary>A log sink that lets a spec wait for a line of the host's log: the host telling what it saw is the signal.</summary>
public sealed class LogSignal : ILogEventSink
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public void Emit(LogEvent logEvent)
    {
        var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
        var line = $"{logEvent.RenderMessage()} {properties}";
        lock (_gate)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first line, logged before or after this call, that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match, TimeSpan? budget = null)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.FirstOrDefault(match) is { } line) return Task.FromResult(line);
            _waiters.Add((match, found));
        }
        return found.Task.WaitAsync(budget ?? TimeSpan.FromSeconds(15));
    }
}
