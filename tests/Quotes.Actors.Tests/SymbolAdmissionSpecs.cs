using System.Text.Json;
using Akka.Actor;
using Quotes.Actors.Messages;
using Quotes.Actors.Outbox;
using Quotes.Actors.Sessions;
using Quotes.Contracts;
using Xunit;
using Xunit.Abstractions;

namespace Quotes.Actors.Tests;

/// <summary>
/// The cluster's symbol cap fails closed: while the upstream singleton cannot answer (a probe stands in for it, as during
/// a hand-over), a subscribe adding symbols is refused whole with a retryable <c>CAPACITY</c> and the key's budget is given back.
/// </summary>
public sealed class SymbolAdmissionSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output)
{
    private const string KeyId = "key-1";
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);
    private readonly SessionOutbox _outbox = new();
    private readonly KeySymbolBudget _budget = new(maxHeld: 10, newPerMinute: 100);

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

    private static SessionProtocol.Command Subscribe(params string[] symbols) => new(new ClientCommand.Subscribe(symbols, null));

    [Fact]
    public async Task A_subscribe_the_upstream_cannot_admit_in_time_is_refused_whole_and_gives_the_key_budget_back()
    {
        var upstream = CreateTestProbe();
        var hub = CreateTestProbe();
        var session = Sys.ActorOf(SessionActor.Props("s1", "node-1", _outbox, hub, new QuotesOptions(),
            new SymbolAdmission(_budget, upstream, Timeout), KeyId));
        hub.ExpectMsg<HubProtocol.Register>();
        await NextMessagesAsync(); // welcome

        session.Tell(Subscribe("AAPL", "TSLA"));

        // The upstream got the question and never answers.
        Assert.Equal(["AAPL", "TSLA"], (await upstream.ExpectMsgAsync<UpstreamProtocol.Admit>()).Symbols);
        var refusal = Assert.Single(await NextMessagesAsync());
        Assert.Equal("error", refusal.GetProperty("type").GetString());
        Assert.Equal(ErrorCodes.Capacity, refusal.GetProperty("code").GetString());
        var message = refusal.GetProperty("message").GetString()!;
        Assert.Contains("cannot check its symbol budget", message);
        Assert.Contains("retry", message);
        Assert.Equal(0, _budget.Held(KeyId));

        // The upstream answers again (the new holder is up): a later subscribe is admitted.
        session.Tell(Subscribe("AAPL", "MSFT"));
        var admit = await upstream.ExpectMsgAsync<UpstreamProtocol.Admit>();
        upstream.Reply(new UpstreamProtocol.Admission(true, 2, 5_000));

        var subscribed = Assert.Single(await NextMessagesAsync());
        Assert.Equal("subscribed", subscribed.GetProperty("type").GetString());
        Assert.Equal(["AAPL", "MSFT"], admit.Symbols);
        // The first subscribe the hub hears of is this one: the refused request subscribed nothing...
        Assert.Equal(["AAPL", "MSFT"], (await hub.ExpectMsgAsync<HubProtocol.Subscribe>()).Symbols);
        // ...and held nothing: the key holds only what was admitted.
        Assert.Equal(2, _budget.Held(KeyId));
    }

    [Fact]
    public async Task A_connection_that_stops_while_its_admission_is_on_the_way_gives_back_what_it_is_granted()
    {
        var upstream = CreateTestProbe();
        var hub = CreateTestProbe();
        var session = Sys.ActorOf(SessionActor.Props("s2", "node-1", _outbox, hub, new QuotesOptions(),
            new SymbolAdmission(_budget, upstream, TimeSpan.FromSeconds(30)), KeyId));
        hub.ExpectMsg<HubProtocol.Register>();

        session.Tell(Subscribe("AAPL", "TSLA"));
        await upstream.ExpectMsgAsync<UpstreamProtocol.Admit>();
        Assert.Equal(2, _budget.Held(KeyId)); // taken from the key's budget while the cluster decides
        Watch(session);
        Sys.Stop(session);
        await ExpectTerminatedAsync(session);

        upstream.Reply(new UpstreamProtocol.Admission(true, 2, 5_000));
        await AwaitConditionAsync(() => Task.FromResult(_budget.Held(KeyId) == 0));
    }
}
