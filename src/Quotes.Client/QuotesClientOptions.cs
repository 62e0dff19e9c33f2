using System.Net.WebSockets;

namespace Quotes.Client;

/// <summary>Where and how a <see cref="QuotesClient"/> connects. The defaults match the browser client's.</summary>
public sealed class QuotesClientOptions
{
    /// <summary>The server's socket, e.g. <c>ws://localhost:5000/ws</c> (<c>wss://</c> behind TLS).</summary>
    public Uri? Url { get; set; }

    /// <summary>The client key, sent as <c>Authorization: Bearer</c> (never in the URL).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// First step of the reconnect backoff; it doubles up to <see cref="MaxReconnectDelay"/>, with jitter, and starts
    /// again from here only after a connection stayed up 30 s (so a server that closes right after <c>welcome</c> is not
    /// stormed).
    /// </summary>
    public TimeSpan MinReconnectDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Silence after which the client sends <c>{"type":"ping"}</c>; any message counts as life.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Silence after a ping after which the connection is replaced.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt to open the socket may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <c>SubscribeAsync</c>/<c>UnsubscribeAsync</c> wait for the server's answer, time spent reconnecting included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Quotes each <c>ReadQuotesAsync</c> enumeration may fall behind by; past it the oldest are dropped (the <c>seq</c> gap shows it).</summary>
    public int QuoteBufferSize { get; set; } = 10_000;

    /// <summary>The largest server frame accepted; a larger one replaces the connection.</summary>
    public int MaxFrameBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Anything else about the socket: a proxy, client certificates, extra headers.</summary>
    public Action<ClientWebSocketOptions>? ConfigureSocket { get; set; }

    internal void Validate()
    {
        if (Url is null || !Url.IsAbsoluteUri || Url.Scheme is not ("ws" or "wss"))
            throw new ArgumentException("Url must be an absolute ws:// or wss:// address, e.g. ws://localhost:5000/ws", nameof(Url));
        if (string.IsNullOrWhiteSpace(ApiKey)) throw new ArgumentException("ApiKey is required", nameof(ApiKey));
        if (MinReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < MinReconnectDelay)
            throw new ArgumentException("reconnect delays must be positive, MinReconnectDelay <= MaxReconnectDelay");
        if (PingInterval <= TimeSpan.Zero || PingTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentException("PingInterval, PingTimeout, ConnectTimeout and RequestTimeout must be positive");
        if (QuoteBufferSize < 1 || MaxFrameBytes < 1024) throw new ArgumentException("QuoteBufferSize must be at least 1, MaxFrameBytes at least 1024");
    }
}
