namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// Which link is open, for the actions waiting for theirs (<see cref="UpstreamStages.Actions"/>): an action made for a link
/// goes into the graph only once that link is open, so no earlier link's socket sink, still running while its link closes,
/// takes it. Links open in increasing order, each at most once.
/// </summary>
public sealed class LinkGate
{
    private readonly object _lock = new();
    private int _open;
    private TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Link <paramref name="link"/> is open (its <c>auth</c> sent).</summary>
    public void Open(int link)
    {
        lock (_lock)
        {
            _open = link;
            _opened.SetResult();
            _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>True once link <paramref name="link"/> is open, false once a later link opened instead.</summary>
    public async Task<bool> WhenOpenAsync(int link)
    {
        while (true)
        {
            Task opened;
            lock (_lock)
            {
                if (_open >= link) return _open == link;
                opened = _opened.Task;
            }
            await opened.ConfigureAwait(false);
        }
    }
}
