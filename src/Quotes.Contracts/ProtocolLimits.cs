using System.Text.Json;

namespace Quotes.Contracts;

/// <summary>
/// The client protocol's limits as this server applies them (PROTOCOL.md). The defaults are the protocol's contract; an
/// operator may lower each one (<c>Limits:MaxFrameBytes</c>, <c>Limits:MaxJsonDepth</c>, <c>Limits:MaxFacadeJsonDepth</c>,
/// <c>Limits:MaxSymbolsPerConnection</c>, <c>Limits:MaxPendingReplies</c>, <c>Limits:PingInterval</c>,
/// <c>Limits:PongTimeout</c>), never raise it: clients are written against the contract. The wait for a client's answer to
/// the server's close (<c>Limits:CloseHandshakeTimeout</c>) is the server's own choice, not the contract's. Read once at
/// start; the parser options are built once here, not per frame.
/// </summary>
public sealed class ProtocolLimits(
    int MaxFrameBytes = ProtocolLimits.ContractFrameBytes,
    int MaxJsonDepth = ProtocolLimits.ContractJsonDepth,
    int MaxFacadeJsonDepth = ProtocolLimits.ContractFacadeJsonDepth,
    int MaxSymbolsPerConnection = SymbolRules.MaxPerConnection,
    int MaxPendingReplies = ProtocolLimits.ContractPendingReplies,
    TimeSpan? PingInterval = null,
    TimeSpan? PongTimeout = null,
    TimeSpan? CloseHandshakeTimeout = null)
{
    /// <summary>Largest client frame (16 KiB), on <c>/ws</c> and on the Polygon-compatible socket.</summary>
    public const int ContractFrameBytes = 16 * 1024;
    /// <summary>Deepest JSON nesting of a <c>/ws</c> command.</summary>
    public const int ContractJsonDepth = 8;
    /// <summary>Deepest JSON nesting of a Polygon-compatible action.</summary>
    public const int ContractFacadeJsonDepth = 4;
    /// <summary>Control replies queued for a client that is not reading; past this it is closed as a slow consumer.</summary>
    public const int ContractPendingReplies = 256;
    public static readonly TimeSpan ContractPingInterval = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan ContractPongTimeout = TimeSpan.FromSeconds(30);
    /// <summary>How long a client has to answer a close the server sent before the connection is dropped, by default.</summary>
    public static readonly TimeSpan DefaultCloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public int MaxFrameBytes { get; } = MaxFrameBytes;
    public int MaxJsonDepth { get; } = MaxJsonDepth;
    public int MaxFacadeJsonDepth { get; } = MaxFacadeJsonDepth;
    public int MaxSymbolsPerConnection { get; } = MaxSymbolsPerConnection;
    public int MaxPendingReplies { get; } = MaxPendingReplies;

    /// <summary>The contract's own values.</summary>
    public static readonly ProtocolLimits Default = new();

    /// <summary>How often the server pings an idle client socket.</summary>
    public TimeSpan Ping { get; } = PingInterval ?? ContractPingInterval;

    /// <summary>How long after a ping the pong may take before the socket is dropped.</summary>
    public TimeSpan PongWait { get; } = PongTimeout ?? ContractPongTimeout;

    /// <summary>
    /// How long a client has to answer a close the server sent before the connection is dropped: until then a client that
    /// never answers holds its socket and slot.
    /// </summary>
    public TimeSpan CloseWait { get; } = CloseHandshakeTimeout ?? DefaultCloseHandshakeTimeout;

    /// <summary>Parser options for a <c>/ws</c> command.</summary>
    public JsonDocumentOptions ClientJson { get; } = new() { MaxDepth = MaxJsonDepth, AllowTrailingCommas = false };

    /// <summary>Parser options for a Polygon-compatible action.</summary>
    public JsonDocumentOptions FacadeJson { get; } = new() { MaxDepth = MaxFacadeJsonDepth };

    /// <summary>The <c>MESSAGE_TOO_LARGE</c> text, naming the bound in force.</summary>
    public string FrameTooLarge { get; } = $"a client message may be at most {MaxFrameBytes} bytes";
}
