using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using Quotes.Actors.Messages;
using Quotes.Actors.Outbox;
using Quotes.Actors.Sessions;
using Quotes.Contracts;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

public sealed class SessionActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output)
{
    private readonly SessionOutbox _outbox = new();

    private (IActorRef Session, TestProbe Hub) Start()
    {
        var hub = CreateTestProbe();
        var session = Sys.ActorOf(SessionActor.Props("s1", "node-1", _outbox, hub));
        hub.ExpectMsg<HubProtocol.Register>();
        return (session, hub);
    }

    private static SessionProtocol.Command Subscribe(IEnumerable<string> symbols, string? id = null) =>
        new(new ClientCommand.Subscribe(symbols.ToList(), id is null ? null : JsonDocument.Parse($"\"{id}\"").RootElement.Clone()));

    private async Task<List<JsonElement>> NextMessagesAsync()
    {
        var messages = new List<JsonElement>();
        await AwaitConditionAsync(() =>
        {
            messages.AddRange(SessionOutboxSpecs.Drain(_outbox));
            return Task.FromResult(messages.Count > 0);
        });
        return messages;
    }

    [Fact]
    public async Task Welcome_is_the_first_message()
    {
        Start();
        var welcome = Assert.Single(await NextMessagesAsync());
        Assert.Equal("welcome", welcome.GetProperty("type").GetString());
        Assert.Equal("s1", welcome.GetProperty("sessionId").GetString());
        Assert.Equal(50, welcome.GetProperty("maxSymbols").GetInt32());
    }

    [Fact]
    public async Task Subscribing_answers_subscribed_with_id_and_asks_the_hub_for_the_symbols()
    {
        var (session, hub) = Start();
        await NextMessagesAsync();

        session.Tell(Subscribe(["AAPL", "TSLA"], id: "r1"));

        var reply = Assert.Single(await NextMessagesAsync());
        Assert.Equal("subscribed", reply.GetProperty("type").GetString());
        Assert.Equal(2, reply.GetProperty("count").GetInt32());
        Assert.Equal(50, reply.GetProperty("limit").GetInt32());
        Assert.Equal("r1", reply.GetProperty("id").GetString());
        Assert.Equal(["AAPL", "TSLA"], (await hub.ExpectMsgAsync<HubProtocol.Subscribe>()).Symbols);
    }

    [Fact]
    public async Task Subscribing_past_50_symbols_is_rejected_whole()
    {
        var (session, hub) = Start();
        await NextMessagesAsync();
        session.Tell(Subscribe(Enumerable.Range(0, 49).Select(i => $"S{i}")));
        await NextMessagesAsync();
        await hub.ExpectMsgAsync<HubProtocol.Subscribe>();

        session.Tell(Subscribe(["S0", "NEW1", "NEW2"], id: "big"));

        var error = Assert.Single(await NextMessagesAsync());
        Assert.Equal(ErrorCodes.SymbolLimit, error.GetProperty("code").GetString());
        Assert.Equal("big", error.GetProperty("id").GetString());
        await hub.ExpectNoMsgAsync(Dilated(TimeSpan.FromMilliseconds(200)));

        session.Tell(Subscribe(["NEW1"]));
        Assert.Equal(50, Assert.Single(await NextMessagesAsync()).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Unsubscribing_tells_the_hub_only_what_was_held()
    {
        var (session, hub) = Start();
        await NextMessagesAsync();
        session.Tell(Subscribe(["AAPL", "TSLA"]));
        await NextMessagesAsync();
        await hub.ExpectMsgAsync<HubProtocol.Subscribe>();

        session.Tell(new SessionProtocol.Command(new ClientCommand.Unsubscribe(["AAPL", "NVDA"], null)));

        var reply = Assert.Single(await NextMessagesAsync());
        Assert.Equal("unsubscribed", reply.GetProperty("type").GetString());
        Assert.Equal(1, reply.GetProperty("count").GetInt32());
        Assert.Equal(["AAPL"], (await hub.ExpectMsgAsync<HubProtocol.Unsubscribe>()).Symbols);
    }

    [Fact]
    public async Task Invalid_frames_are_answered_with_their_error_and_the_session_goes_on()
    {
        var (session, _) = Start();
        await NextMessagesAsync();

        session.Tell(new SessionProtocol.Command(new ClientCommand.Invalid(new ServerMessages.Error(ErrorCodes.BadJson, "bad"))));
        session.Tell(new SessionProtocol.Command(new ClientCommand.Ping(null)));

        var messages = new List<JsonElement>();
        await AwaitConditionAsync(() => { messages.AddRange(SessionOutboxSpecs.Drain(_outbox)); return Task.FromResult(messages.Count >= 2); });
        Assert.Equal(ErrorCodes.BadJson, messages[0].GetProperty("code").GetString());
        Assert.Equal("pong", messages[1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Stopping_the_session_completes_its_outbox()
    {
        var (session, _) = Start();
        await NextMessagesAsync();

        Sys.Stop(session);

        // As the socket writer does: wake-ups may be spurious, the loop ends only when the outbox is completed.
        using var timeout = new CancellationTokenSource(Dilated(TimeSpan.FromSeconds(5)));
        while (await _outbox.WaitAsync(timeout.Token)) SessionOutboxSpecs.Drain(_outbox);
    }
}
