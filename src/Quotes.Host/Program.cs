using Quotes.Host.Composition;

var app = await QuotesApp.BuildAsync(args);
await app.RunAsync();
QuotesApp.FlushAtExit();

/// <summary>Entry point; the composition lives in <see cref="QuotesApp"/>.</summary>
public partial class Program;
