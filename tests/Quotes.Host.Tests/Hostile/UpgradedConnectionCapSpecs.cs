using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// Kestrel's cap on upgraded connections (<c>Limits:MaxConcurrentUpgradedConnections</c>) holds: past it an upgrade is
/// refused, and a keyed client gets in as soon as a socket closes.
/// </summary>
public sealed class UpgradedConnectionCapSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Limits:MaxConcurrentUpgradedConnections"] = "2",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_third_upgrade_is_refused_while_two_are_open_and_a_keyed_client_gets_in_once_one_closes()
    {
        // Kestrel's own count of upgraded connections (its kestrel.upgraded_connections instrument): the signal that it let one go.
        long upgraded = 0;
        var meters = _server.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "kestrel.upgraded_connections") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref upgraded, value));
        listener.Start();

        var first = await _server.ConnectAsync();
        await using var second = await TestSocket.ConnectAsync(new UriBuilder(_server.BaseUrl) { Scheme = "ws", Path = "/polygon/stocks" }.Uri);
        await second.ExpectAsync(m => m.TryGetProperty("status", out var status) && status.GetString() == "connected");
        Assert.Equal(2, Interlocked.Read(ref upgraded));

        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, await TestSocket.UpgradeStatusAsync(_server.SocketUri()));

        await first.DisposeAsync();
        await Eventually.HoldsAsync(() => Assert.Equal(1, Interlocked.Read(ref upgraded)));
        await using var client = await _server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL"));
    }
}
