namespace Quotes.Host.Auth;

/// <summary>Client keys (<c>Auth:ApiKeys</c>, an array or a comma-separated string). None configured: one is generated at start.</summary>
public sealed class AuthOptions
{
    public string[] ApiKeys { get; set; } = [];

    /// <summary>True when the key was generated because none was configured; the start-up banner prints it.</summary>
    public bool Generated { get; set; }
}
