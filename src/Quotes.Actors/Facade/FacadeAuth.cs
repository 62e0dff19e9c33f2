namespace Quotes.Actors.Facade;

/// <summary>What became of a façade client's <c>auth</c> action.</summary>
public enum FacadeAuthResult
{
    /// <summary>The key is valid and a client slot was charged to it.</summary>
    Success,
    /// <summary>Not a valid key.</summary>
    Failed,
    /// <summary>A valid key, but the node or the key is at its connection limit: no slot.</summary>
    AtCapacity,
}

/// <summary>The answer to an <c>auth</c>: the result and, on success, the key's id (its hash) for per-key budgets.</summary>
public sealed record FacadeAuth(FacadeAuthResult Result, string? KeyId = null)
{
    public static readonly FacadeAuth Failed = new(FacadeAuthResult.Failed);
    public static readonly FacadeAuth AtCapacity = new(FacadeAuthResult.AtCapacity);
}
