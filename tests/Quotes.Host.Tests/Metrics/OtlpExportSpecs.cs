using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests.Metrics;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, a node pushes the same metrics over OTLP (here: HTTP/protobuf to a local collector stand-in).</summary>
public sealed class OtlpExportSpecs
{
    [Fact]
    public async Task With_an_otlp_endpoint_the_node_pushes_its_metrics_there()
    {
        var bodies = Channel.CreateUnbounded<byte[]>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var collector = builder.Build();
        collector.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            bodies.Writer.TryWrite(body.ToArray());
            return Results.Ok();
        });
        await collector.StartAsync();

        await using var server = await QuotesServer.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Urls.First(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var body = await bodies.Reader.ReadAsync(wait.Token); // a push, not a poll: the next export
            // Protobuf carries the metric names as plain strings.
            if (Encoding.UTF8.GetString(body).Contains("quotes.upstream.holder")) break;
        }
    }
}
