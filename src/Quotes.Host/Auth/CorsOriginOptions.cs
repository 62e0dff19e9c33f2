namespace Quotes.Host.Auth;

/// <summary>The <c>Cors</c> section: <c>Cors:AllowedOrigins</c>, browser origins allowed besides the server's own (<see cref="OriginPolicy"/>).</summary>
public sealed class CorsOriginOptions
{
    public const string Section = "Cors";

    public string[] AllowedOrigins { get; set; } = [];
}
