namespace Quotes.Host.Auth;

/// <summary>The <c>Admin</c> section: the operator's key (<c>Admin:ApiKey</c>), accepted from a header only.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Unset: the admin endpoints are disabled.</summary>
    public string? ApiKey { get; set; }
}
