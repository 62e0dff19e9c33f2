namespace Quotes.Host.Auth;

/// <summary>The operator key (<c>Admin:ApiKey</c>). Without one, admin endpoints are disabled rather than open.</summary>
public sealed class AdminKey(IConfiguration configuration)
{
    private readonly ApiKeyValidator? _validator = configuration["Admin:ApiKey"] is { Length: > 0 } key
        ? new ApiKeyValidator([key])
        : null;

    public bool Enabled => _validator is not null;
    public bool IsValid(string? key) => _validator?.IsValid(key) == true;
}
