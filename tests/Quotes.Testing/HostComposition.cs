using Microsoft.AspNetCore.Builder;
using Quotes.Host.Composition;

namespace Quotes.Testing;

/// <summary>Composes the host as <c>Program</c> does, on a builder given the caller's configuration, without starting it.</summary>
public static class HostComposition
{
    public static Task<WebApplication> BuildAsync(Action<WebApplicationBuilder> configure)
    {
        var builder = QuotesApp.CreateBuilder([]);
        configure(builder);
        return QuotesApp.BuildAsync(builder);
    }
}
