namespace Quotes.Host.Auth;

/// <summary>
/// The names the authentication setup shares (<c>Composition/AuthSetup.cs</c>): the schemes that read a credential, the
/// policies route groups require, and the claims by which limits and logs know a caller without its key.
/// </summary>
public static class QuotesAuth
{
    /// <summary>Client keys, from <c>Authorization: Bearer</c>, <c>X-API-Key</c> or <c>?apiKey=</c> (<see cref="ApiKeyHandler"/>).</summary>
    public const string ClientKeyScheme = "ClientKey";

    /// <summary>The operator key (<c>Admin:ApiKey</c>), from a header only (<see cref="ApiKeyHandler"/>).</summary>
    public const string AdminKeyScheme = "AdminKey";

    /// <summary>What the <see cref="ClientPolicy"/> authenticates with: a client key, or a bearer token where one is configured.</summary>
    public const string ClientScheme = "Client";

    /// <summary>Routes for clients: <c>/api/market</c>, <c>/ws</c>, <c>/api/socket</c> and the Polygon façade's REST relay.</summary>
    public const string ClientPolicy = "client";

    /// <summary>The operator's routes: <c>/admin</c> and <c>/metrics</c> on the main port.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>
    /// The caller as the per-key limits count it (connection cap, symbol budget, REST bucket): a SHA-256, never the key.
    /// </summary>
    public const string BudgetIdClaim = "quotes:budget-id";

    /// <summary>The caller as logs and the provider budget's shares name it: <c>#0</c>, <c>#1</c>… for a client key.</summary>
    public const string LogIdClaim = "quotes:log-id";
}
