using System.Net.Sockets;
using System.Text;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>Kestrel's own connection caps and keep-alive come from settings: real sockets against real Kestrel.</summary>
public sealed class KestrelLimitsSpecs : IAsyncLifetime
{
    private QuotesServer _server = null!;

    public async Task InitializeAsync() => _server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Limits:MaxConcurrentConnections"] = "2",
        ["Limits:KeepAliveTimeout"] = "00:00:01",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Past_the_connection_cap_a_new_connection_is_dropped_and_an_idle_keep_alive_connection_is_closed()
    {
        // Two connections that finished a request and stay open (keep-alive) hold both slots.
        using var first = await OpenWithOneRequestAsync();
        using var second = await OpenWithOneRequestAsync();

        using var third = await ConnectAsync();
        await SendRequestAsync(third);
        var refused = await ReadToCloseAsync(third);
        Assert.DoesNotContain("200 OK", refused);

        // After the keep-alive timeout the server closes the idle ones by itself, which frees the slots.
        Assert.Equal(0, await ReadAsync(first));
        Assert.Equal(0, await ReadAsync(second));
        using var fourth = await OpenWithOneRequestAsync();
    }

    private async Task<TcpClient> OpenWithOneRequestAsync()
    {
        var client = await ConnectAsync();
        await SendRequestAsync(client);
        // The whole answer (it may come in more than one read): /health/live's body is "Healthy", whole or as one chunk.
        var answer = new StringBuilder();
        while (!answer.ToString().EndsWith("Healthy", StringComparison.Ordinal) && !answer.ToString().EndsWith("Healthy\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await ReadAsync(client, out var buffer);
            Assert.True(read > 0, $"closed before the whole answer: {answer}");
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        Assert.StartsWith("HTTP/1.1 200", answer.ToString());
        return client;
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_server.BaseUrl.Host, _server.BaseUrl.Port);
        return client;
    }

    private static Task SendRequestAsync(TcpClient client) =>
        client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n")).AsTask();

    /// <summary>Everything the server sends until it closes the connection (fails if it stays open 20 s).</summary>
    private static async Task<string> ReadToCloseAsync(TcpClient client)
    {
        var received = new StringBuilder();
        int read;
        while ((read = await ReadAsync(client, out var buffer)) > 0) received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        return received.ToString();
    }

    private static Task<int> ReadAsync(TcpClient client, out byte[] buffer)
    {
        buffer = new byte[4096];
        return ReadIntoAsync(client, buffer);
    }

    /// <summary>Bytes read until the answer or the server's close (0); a silent socket fails after 20 s.</summary>
    private static Task<int> ReadAsync(TcpClient client) => ReadIntoAsync(client, new byte[4096]);

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
