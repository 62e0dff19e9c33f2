using Microsoft.Extensions.Options;

namespace Quotes.Host.Auth;

/// <summary>The operator key (<c>Admin:ApiKey</c>). Without one, admin endpoints are disabled rather than open.</summary>
public sealed class AdminKey(IOptions<AdminOptions> options)
{
    private readonly ApiKeyValidator? _validator = options.Value.ApiKey is { Length: > 0 } key
        ? new ApiKeyValidator([key])
        : null;

    public bool Enabled => _validator is not null;
    public bool IsValid(string? key) => _validator?.IsValid(key) == true;
}
