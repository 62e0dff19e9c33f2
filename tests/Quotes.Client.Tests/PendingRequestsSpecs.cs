using Xunit;

namespace Quotes.Client.Tests;

public sealed class PendingRequestsSpecs
{
    [Fact]
    public void Should_send_each_request_once_per_connection_and_again_on_the_next()
    {
        var requests = new PendingRequests();
        var first = requests.Add(RequestKind.Subscribe, ["AAPL"]);
        Assert.True(requests.TryMarkSent(first, connection: 1));
        Assert.False(requests.TryMarkSent(first, connection: 1));
        var second = requests.Add(RequestKind.Unsubscribe, ["MSFT"]);

        Assert.Equal([second], requests.TakeUnsent(1));
        Assert.Equal([first, second], requests.TakeUnsent(2)); // the connection dropped before any answer: oldest first
        Assert.Empty(requests.TakeUnsent(2));
    }

    [Fact]
    public void Should_forget_an_answered_request()
    {
        var requests = new PendingRequests();
        var request = requests.Add(RequestKind.Subscribe, ["AAPL"]);
        requests.Remove(request);
        Assert.Null(requests.Find(request.Id));
        Assert.Empty(requests.TakeUnsent(1));
        Assert.False(requests.TryMarkSent(request, 1));
    }

    [Fact]
    public void Should_encode_the_request_with_its_id()
    {
        var request = new PendingRequests().Add(RequestKind.Unsubscribe, ["AAPL", "BRK.B"]);
        Assert.Equal("""{"type":"unsubscribe","symbols":["AAPL","BRK.B"],"id":1}""", System.Text.Encoding.UTF8.GetString(request.Encode()));
    }

    [Fact]
    public void Should_count_a_request_as_given_up_from_its_deadline_even_before_its_timeout_has_run()
    {
        // Seen in CI: a starved thread pool ran the sender before the caller's timeout continuation, and a subscribe its
        // caller had given up on went out (the server then held a symbol nobody asked for).
        var requests = new PendingRequests();
        Assert.True(requests.Add(RequestKind.Subscribe, ["AAPL"], TimeSpan.Zero).Expired);
        Assert.False(requests.Add(RequestKind.Subscribe, ["AAPL"], TimeSpan.FromHours(1)).Expired);
        Assert.False(requests.Add(RequestKind.Subscribe, ["AAPL"], Timeout.InfiniteTimeSpan).Expired);
        Assert.False(requests.Add(RequestKind.Subscribe, ["AAPL"]).Expired);
    }
}
