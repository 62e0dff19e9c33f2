namespace Quotes.Contracts;

/// <summary>The error codes of the client protocol (PROTOCOL.md, "Error codes").</summary>
public static class ErrorCodes
{
    public const string BadJson = "BAD_JSON";
    public const string UnknownType = "UNKNOWN_TYPE";
    public const string InvalidSymbol = "INVALID_SYMBOL";
    public const string SymbolLimit = "SYMBOL_LIMIT";
    public const string RateLimited = "RATE_LIMITED";
    /// <summary>A subscribe refused whole because a symbol budget (the key's, or the cluster's) is spent, or the cluster cannot check its budget right now (retryable); the message says which.</summary>
    public const string Capacity = "CAPACITY";
    public const string MessageTooLarge = "MESSAGE_TOO_LARGE";
    public const string Internal = "INTERNAL";
    public const string Unauthorized = "UNAUTHORIZED";

    // REST only
    public const string InvalidDate = "INVALID_DATE";
    public const string InvalidRange = "INVALID_RANGE";
    public const string InvalidParameter = "INVALID_PARAMETER";
    public const string NotFound = "NOT_FOUND";
    public const string UpstreamError = "UPSTREAM_ERROR";
    public const string UpstreamUnavailable = "UPSTREAM_UNAVAILABLE";
}
