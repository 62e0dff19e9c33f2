using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Actors.Fanout;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Issue 17, point 6: <c>/health/ready</c> reads the status the hub published, with no actor round trip per request, so an
/// anonymous probe storm costs the hub nothing and the probe answers even when the hub cannot.
/// </summary>
public sealed class ReadinessProbeSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_probe_answers_from_the_published_status_while_the_hub_cannot_answer_at_all()
    {
        using var http = _server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        // The hub is gone: any question asked of it would go unanswered until a timeout.
        var hub = _server.Services.GetRequiredService<ActorRegistry>().Get<NodeHub>();
        Assert.True(await hub.GracefulStop(TimeSpan.FromSeconds(5)));

        // A storm of anonymous probes, all at once: each is answered from what the hub last published.
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await http.GetAsync("/health/ready");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "Healthy: upstream connected; feed simulator"), a));
    }
}
