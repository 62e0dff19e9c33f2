using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>The client protocol on /ws end to end: real Kestrel, real sockets, the simulator as upstream.</summary>
public sealed class WebSocketSessionSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Welcome_status_subscribed_snapshot_then_live_quotes_with_increasing_seq()
    {
        await using var client = await TestSocket.ConnectAsync(_server.SocketUri());

        var welcome = await client.ExpectAsync("type", "welcome");
        Assert.Equal("welcome", client.Received[0].GetProperty("type").GetString());
        Assert.Equal(1, welcome.GetProperty("protocol").GetInt32());
        Assert.Equal(50, welcome.GetProperty("maxSymbols").GetInt32());
        Assert.Equal((20, 40), (welcome.GetProperty("commandsPerSecond").GetDouble(), welcome.GetProperty("commandBurst").GetInt32()));
        Assert.False(string.IsNullOrEmpty(welcome.GetProperty("sessionId").GetString()));
        var status = await client.ExpectAsync("type", "status");
        Assert.Equal(UpstreamStates.Connected, status.GetProperty("upstream").GetString());
        Assert.Contains(status.GetProperty("market").GetString(), new[] { MarketStates.Open, MarketStates.Closed, MarketStates.ExtendedHours });

        // A first client makes AAPL live; a second one then gets a snapshot right after "subscribed".
        await client.SendAsync("""{"type":"subscribe","symbols":["aapl"],"id":1}""");
        var subscribed = await client.ExpectAsync("type", "subscribed");
        Assert.Equal(["AAPL"], subscribed.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(1, subscribed.GetProperty("count").GetInt32());
        Assert.Equal(1, subscribed.GetProperty("id").GetInt32());
        await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"));

        await using var second = await _server.ConnectAsync();
        await second.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        var afterSubscribed = second.Received.Count;
        await second.ExpectAsync("type", "subscribed");
        var snapshot = await second.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"), from: afterSubscribed);
        Assert.True(snapshot.GetProperty("snapshot").GetBoolean());
        var index = second.Received.FindIndex(m => m.GetProperty("type").GetString() == "subscribed");
        Assert.True(second.Received.FindIndex(m => TestSocket.IsQuote(m, "AAPL")) > index, "the snapshot follows subscribed");

        var seqs = new List<long>();
        while (seqs.Count < 3)
        {
            var from = second.Received.Count;
            var quote = await second.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL") && !m.TryGetProperty("snapshot", out _), from: from);
            seqs.Add(quote.GetProperty("seq").GetInt64());
            foreach (var field in new[] { "price", "previousPrice", "change", "changePercent", "previousClose", "open", "high", "low", "volume", "vwap", "timestamp" })
                Assert.True(quote.TryGetProperty(field, out _), field);
        }
        Assert.True(seqs[0] < seqs[1] && seqs[1] < seqs[2], string.Join(",", seqs));
        Assert.All(second.Frames, f => Assert.StartsWith("[", f));
    }

    [Fact]
    public async Task Subscribing_past_50_symbols_is_rejected_whole()
    {
        await using var client = await _server.ConnectAsync();
        var fifty = Enumerable.Range(0, 50).Select(i => $"\"S{i}\"");
        var fiftyOne = Enumerable.Range(0, 51).Select(i => $"\"S{i}\"");

        await client.SendAsync($$"""{"type":"subscribe","symbols":[{{string.Join(",", fiftyOne)}}],"id":"too-many"}""");
        var error = await client.ExpectAsync("type", "error");
        Assert.Equal(ErrorCodes.SymbolLimit, error.GetProperty("code").GetString());
        Assert.Equal("too-many", error.GetProperty("id").GetString());

        await client.SendAsync($$"""{"type":"subscribe","symbols":[{{string.Join(",", fifty)}}]}""");
        Assert.Equal(50, (await client.ExpectAsync("type", "subscribed")).GetProperty("count").GetInt32());

        var from = client.Received.Count;
        await client.SendAsync("""{"type":"subscribe","symbols":["ONEMORE"]}""");
        Assert.Equal(ErrorCodes.SymbolLimit, (await client.ExpectAsync("type", "error", from: from)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{not json", ErrorCodes.BadJson)]
    [InlineData("""{"type":"dance"}""", ErrorCodes.UnknownType)]
    [InlineData("""{"type":"subscribe","symbols":["GOOD","b@d"]}""", ErrorCodes.InvalidSymbol)]
    [InlineData("""{"type":"subscribe","symbols":"AAPL"}""", ErrorCodes.BadJson)]
    [InlineData("""{"type":"subscribe","symbols":[1]}""", ErrorCodes.BadJson)]
    [InlineData("""[{"type":"ping"}]""", ErrorCodes.BadJson)]
    public async Task Bad_frames_get_their_error_and_the_connection_stays_open(string frame, string code)
    {
        await using var client = await _server.ConnectAsync();

        await client.SendAsync(frame);
        var error = await client.ExpectAsync("type", "error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));

        await client.SendAsync("""{"type":"ping","id":"still-there"}""");
        var pong = await client.ExpectAsync("type", "pong");
        Assert.Equal("still-there", pong.GetProperty("id").GetString());
        Assert.True(pong.GetProperty("time").GetInt64() > 0);
    }

    [Fact]
    public async Task Hostile_frames_get_their_error_and_the_connection_survives()
    {
        await using var client = await _server.ConnectAsync();
        var deep = "{\"type\":\"subscribe\",\"symbols\":" + new string('[', 64) + "\"A\"" + new string(']', 64) + "}";
        var huge = "{\"type\":\"subscribe\",\"symbols\":[" + string.Join(",", Enumerable.Range(0, 1500).Select(i => $"\"S{i}\"")) + "]}";
        var cases = new (byte[] Frame, string Code)[]
        {
            (Encoding.UTF8.GetBytes(deep), ErrorCodes.BadJson),
            (Encoding.UTF8.GetBytes("{\"type\":\"subscribe\",\"symbols\":[\"A\u0007\"]}"), ErrorCodes.BadJson), // a raw control character is not JSON
            (Encoding.UTF8.GetBytes(huge), ErrorCodes.SymbolLimit),
            (Encoding.UTF8.GetBytes("{\"type\":\"subscribe\",\"symbols\":[\"AA\\u0007PL\"]}"), ErrorCodes.InvalidSymbol),
            (Encoding.UTF8.GetBytes("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"],\"id\":[1,2]}"), ErrorCodes.BadJson),
            (Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"type\":\"ping\"}"), "pong"),
        };

        foreach (var (frame, code) in cases)
        {
            var from = client.Received.Count;
            await client.SendAsync(frame, WebSocketMessageType.Text);
            var reply = await client.ExpectAsync(m => m.GetProperty("type").GetString() is "error" or "pong", from: from);
            Assert.Equal(code, reply.GetProperty("type").GetString() == "pong" ? "pong" : reply.GetProperty("code").GetString());
        }
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_text_frame_fails_that_connection_with_1007_and_no_other()
    {
        await using var bystander = await _server.ConnectAsync();
        await bystander.SendAsync("""{"type":"subscribe","symbols":["CAT"]}""");
        await bystander.ExpectAsync(m => TestSocket.IsQuote(m, "CAT"));
        await using var client = await _server.ConnectAsync();

        // RFC 6455 §8.1: an endpoint that finds invalid UTF-8 in a text message must fail the connection with 1007. The
        // server sends that close frame before it drops the connection, and it is the close frame that must arrive: a
        // reset (a WebSocketException here) fails the spec, it is not a 1007.
        await client.SendAsync([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], WebSocketMessageType.Text);
        while (await client.ReceiveFrameAsync() is not null) { }
        Assert.Equal(WebSocketState.CloseReceived, client.State);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);

        var from = bystander.Received.Count;
        await bystander.ExpectAsync(m => TestSocket.IsQuote(m, "CAT"), from: from);
        Assert.Equal(WebSocketState.Open, bystander.State);
    }

    [Fact]
    public async Task Invalid_symbols_are_named_in_the_error()
    {
        await using var client = await _server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AAPL","1BAD"]}""");
        var error = await client.ExpectAsync("type", "error");
        Assert.Equal(["1BAD"], error.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Oversize_and_binary_frames_are_answered_and_the_session_survives()
    {
        await using var client = await _server.ConnectAsync();

        await client.SendAsync("{\"type\":\"ping\",\"pad\":\"" + new string('x', 20_000) + "\"}");
        Assert.Equal(ErrorCodes.MessageTooLarge, (await client.ExpectAsync("type", "error")).GetProperty("code").GetString());

        var from = client.Received.Count;
        await client.SendAsync(Encoding.UTF8.GetBytes("""{"type":"ping"}"""), WebSocketMessageType.Binary);
        Assert.Equal(ErrorCodes.BadJson, (await client.ExpectAsync("type", "error", from: from)).GetProperty("code").GetString());

        await client.SendAsync("""{"type":"subscribe","symbols":["MSFT"]}""");
        await client.ExpectAsync(m => TestSocket.IsQuote(m, "MSFT"));
    }

    [Fact]
    public async Task One_clients_bad_input_does_not_disturb_another()
    {
        await using var good = await _server.ConnectAsync();
        await using var bad = await _server.ConnectAsync();
        await good.SendAsync("""{"type":"subscribe","symbols":["IBM"]}""");
        await good.ExpectAsync(m => TestSocket.IsQuote(m, "IBM"));

        for (var i = 0; i < 20; i++) await bad.SendAsync("\u0000\u0001garbage" + i);
        await bad.ExpectAsync(m => m.GetProperty("type").GetString() == "error" && bad.Received.Count(r => r.GetProperty("type").GetString() == "error") == 20);

        var from = good.Received.Count;
        await good.ExpectAsync(m => TestSocket.IsQuote(m, "IBM"), from: from);
        Assert.Equal(WebSocketState.Open, good.State);
    }

    [Fact]
    public async Task Unsubscribe_is_answered_and_stops_the_quotes()
    {
        await using var client = await _server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AMD","INTC"]}""");
        await client.ExpectAsync(m => TestSocket.IsQuote(m, "AMD"));

        await client.SendAsync("""{"type":"unsubscribe","symbols":["AMD"],"id":"u"}""");
        var unsubscribed = await client.ExpectAsync("type", "unsubscribed");
        Assert.Equal(1, unsubscribed.GetProperty("count").GetInt32());
        Assert.Equal("u", unsubscribed.GetProperty("id").GetString());

        // After the reply, INTC keeps coming and AMD does not (one frame may already have been in flight).
        var after = client.Received.Count;
        for (var i = 0; i < 3; i++) await client.ExpectAsync(m => TestSocket.IsQuote(m, "INTC"), from: client.Received.Count);
        Assert.True(client.Received.Skip(after + 1).Count(m => TestSocket.IsQuote(m, "AMD")) <= 1);
    }

    [Fact]
    public async Task The_api_socket_alias_speaks_the_same_protocol()
    {
        await using var client = await _server.ConnectAsync("/api/socket");
        await client.SendAsync("""{"type":"ping"}""");
        await client.ExpectAsync("type", "pong");
    }
}
