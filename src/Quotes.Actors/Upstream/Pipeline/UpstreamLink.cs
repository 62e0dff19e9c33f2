using Akka;
using Akka.Util;

namespace Quotes.Actors.Upstream.Pipeline;

/// <summary>
/// One connection of the <see cref="UpstreamFeed"/> (a link): its number and its socket. Its reads end with one element
/// that says how it ended, then complete (never fail: an element just before a failure may be lost in the restart stage).
/// </summary>
internal sealed class UpstreamLink(int id, PolygonSocket socket)
{
    private bool _ended;
    private volatile bool _closing;

    public int Id => id;

    public void Abort() => socket.Abort("fenced: connection cut");

    /// <summary>
    /// Sends an action made for this link; one made for another link is dropped, and so is every one once the link is
    /// closing (its close frame is a send too: the two would collide, and the failed send would cut the socket).
    /// </summary>
    public Task SendAsync(Outbound action) => action.Link == id && !_closing ? socket.SendAsync(action.Text) : Task.CompletedTask;

    public async Task<Option<InboundFrame>> ReadAsync()
    {
        if (_ended) return Option<InboundFrame>.None;
        try
        {
            var frame = await socket.ReadAsync().ConfigureAwait(false);
            if (frame.HasValue) return Option<InboundFrame>.Create(frame.Value with { Link = id });
        }
        catch (Exception)
        {
            // Lost: the socket knows why. Closed below, by the stage, once this source completes.
        }
        _ended = true;
        return Option<InboundFrame>.Create(InboundFrame.Ended(new LinkEnd(socket.CloseReason ?? "closed locally", socket.CloseStatus), id));
    }

    public Task<Done> CloseAsync()
    {
        _closing = true;
        return socket.CloseAsync();
    }
}
