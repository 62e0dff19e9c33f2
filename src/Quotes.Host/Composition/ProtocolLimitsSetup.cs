using Quotes.Contracts;

namespace Quotes.Host.Composition;

/// <summary>
/// The client protocol's limits from <c>Limits:</c>: each defaults to the protocol's contract (PROTOCOL.md) and may only be
/// lowered, down to a floor below which normal clients would break. Read and checked once at start. The close-handshake
/// wait may be raised too (up to <see cref="MaxCloseHandshakeTimeout"/>): no client is written against it.
/// </summary>
public static class ProtocolLimitsSetup
{
    /// <summary>The smallest frame bound: a subscribe naming 50 symbols with an id fits in 1 KiB.</summary>
    public const int MinFrameBytes = 1024;
    /// <summary>The fewest queued replies: a client that has not read yet already has <c>welcome</c> and <c>status</c> queued.</summary>
    public const int MinPendingReplies = 16;
    public static readonly TimeSpan MinKeepAlive = TimeSpan.FromSeconds(1);
    /// <summary>The shortest close-handshake wait: a client across the world still answers a close within a second.</summary>
    public static readonly TimeSpan MinCloseHandshakeTimeout = TimeSpan.FromSeconds(1);
    /// <summary>The longest: past it a client that never answers holds its socket for nothing.</summary>
    public static readonly TimeSpan MaxCloseHandshakeTimeout = TimeSpan.FromSeconds(60);

    public static ProtocolLimits AddProtocolLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.AddSettingsNow<ProtocolLimitOptions>(ProtocolLimitOptions.Section, o => o.Problems()).ToLimits();
        builder.Services.AddSingleton(limits);
        return limits;
    }
}
