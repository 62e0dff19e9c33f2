using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Quotes.Contracts;

namespace Quotes.Client;

/// <summary>
/// Hands every quote to each open enumeration through a channel of its own, bounded to <c>capacity</c>: a slow reader
/// loses its oldest quotes (the <c>seq</c> gap shows it) and never holds up the socket or the other readers.
/// </summary>
internal sealed class QuoteFeed(int capacity)
{
    private readonly Lock _gate = new();
    private readonly List<Channel<Quote>> _readers = [];
    private bool _completed;
    private Exception? _error;

    public void Publish(Quote quote)
    {
        lock (_gate)
            foreach (var reader in _readers) reader.Writer.TryWrite(quote);
    }

    /// <summary>Ends every enumeration, open or future: normally, or with <paramref name="error"/>.</summary>
    public void Complete(Exception? error = null)
    {
        lock (_gate)
        {
            _completed = true;
            _error = error;
            foreach (var reader in _readers) reader.Writer.TryComplete(error);
        }
    }

    public async IAsyncEnumerable<Quote> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateBounded<Quote>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
        lock (_gate)
        {
            if (_completed) channel.Writer.TryComplete(_error);
            else _readers.Add(channel);
        }
        try
        {
            await foreach (var quote in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false)) yield return quote;
        }
        finally
        {
            lock (_gate) _readers.Remove(channel);
        }
    }

    /// <summary>Open enumerations (for specs: one that ended has let go of its channel).</summary>
    public int Readers
    {
        get { lock (_gate) return _readers.Count; }
    }
}
