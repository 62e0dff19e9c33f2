using System.Net;
using System.Net.Sockets;
using System.Text;
using Quotes.Testing;
using Serilog.Events;
using Xunit;

namespace Quotes.Host.Tests.Hostile;

/// <summary>
/// One address cannot hold Kestrel's connection slots: past <c>Limits:MaxConnectionsPerIp</c> a connection from it is closed
/// before anything is read, while other addresses (loopback's 127.0.0.1 here, with a key) connect and stream.
/// </summary>
public sealed class ConnectionsPerIpSpecs : IAsyncLifetime
{
    private static readonly IPAddress Crowd = IPAddress.Parse("127.0.0.2");
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?> { ["Limits:MaxConnectionsPerIp"] = "3" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Past_the_per_address_cap_a_connection_is_closed_at_once_while_a_keyed_client_from_another_address_streams()
    {
        // Three connections from one address, each served once and then held idle (keep-alive): every one is counted.
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 3; i++) idle.Add(await OpenServedAsync(Crowd));

            // The fourth gets no answer: closed without a byte.
            using (var fourth = await ConnectFromAsync(Crowd))
            {
                await SendRequestAsync(fourth);
                Assert.Equal("", await ReadToCloseAsync(fourth));
            }
            Assert.Contains(_server.Logs.At(LogEventLevel.Warning), line => line.Contains("Limits:MaxConnectionsPerIp", StringComparison.Ordinal));

            // Meanwhile a keyed client from 127.0.0.1 connects and streams.
            await using var client = await _server.ConnectAsync();
            await client.SendAsync("""{"type":"subscribe","symbols":["AAPL"],"id":1}""");
            await client.ExpectAsync("type", "subscribed");
            await client.ExpectAsync(m => TestSocket.IsQuote(m, "AAPL") && !m.TryGetProperty("snapshot", out _));

            // A connection the address closes gives its slot back.
            idle[0].Dispose();
            idle.RemoveAt(0);
            await Eventually.HoldsAsync(async () => idle.Add(await OpenServedAsync(Crowd)));
        }
        finally
        {
            foreach (var connection in idle) connection.Dispose();
        }
    }

    [Fact]
    public async Task A_negative_cap_stops_the_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            QuotesServer.StartHostAsync(new Dictionary<string, string?> { ["Limits:MaxConnectionsPerIp"] = "-1" }, waitUntilReady: false));
        Assert.Contains("Limits:MaxConnectionsPerIp", error.Message);
    }

    private async Task<TcpClient> OpenServedAsync(IPAddress source)
    {
        var client = await ConnectFromAsync(source);
        try
        {
            await SendRequestAsync(client);
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            while (!answer.ToString().Contains("Healthy", StringComparison.Ordinal))
            {
                var read = await ReadIntoAsync(client, buffer);
                Assert.True(read > 0, $"closed before the whole answer: '{answer}'");
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            Assert.StartsWith("HTTP/1.1 200", answer.ToString());
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task<TcpClient> ConnectFromAsync(IPAddress source)
    {
        var client = new TcpClient(new IPEndPoint(source, 0));
        await client.ConnectAsync(_server.BaseUrl.Host, _server.BaseUrl.Port);
        return client;
    }

    private static Task SendRequestAsync(TcpClient client) =>
        client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n")).AsTask();

    /// <summary>Everything the server sends until it closes the connection (fails if it stays open 20 s).</summary>
    private static async Task<string> ReadToCloseAsync(TcpClient client)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await ReadIntoAsync(client, buffer)) > 0) received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        return received.ToString();
    }

    private static async Task<int> ReadIntoAsync(TcpClient client, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            return await client.GetStream().ReadAsync(buffer, timeout.Token);
        }
        catch (IOException)
        {
            return 0; // reset by the server: closed as well
        }
    }
}
