using Akka.Actor;
using Akka.Hosting;
using Quotes.Actors.Fanout;
using Quotes.Actors.Messages;

namespace Quotes.Host.Composition;

/// <summary>
/// When the node stops (SIGTERM), as its clients are closed with 1001: its hub hands the latest quote of every symbol they
/// held to the other nodes' hubs (<see cref="HubProtocol.Bequest"/>), so where they reconnect their symbols go on.
/// </summary>
public static class QuoteHandOver
{
    public static void HandOverQuotesWhenStopping(this WebApplication app) =>
        app.Lifetime.ApplicationStopping.Register(() =>
            app.Services.GetRequiredService<IRequiredActor<NodeHub>>().ActorRef.Tell(HubProtocol.Bequeath.Instance));
}
