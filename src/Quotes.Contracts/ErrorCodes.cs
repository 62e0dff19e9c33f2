namespace Quotes.Contracts;

/// <summary>The error codes of the client protocol (PROTOCOL.md, "Error codes").</summary>
public static class ErrorCodes
{
    public const string BadJson = "BAD_JSON";
    public const string UnknownType = "UNKNOWN_TYPE";
    public const string InvalidSymbol = "INVALID_SYMBOL";
    public const string SymbolLimit = "SYMBOL_LIMIT";
    public const string RateLimited = "RATE_LIMITED";
    public const string MessageTooLarge = "MESSAGE_TOO_LARGE";
    public const string Internal = "INTERNAL";
    public const string Unauthorized = "UNAUTHORIZED";
}
