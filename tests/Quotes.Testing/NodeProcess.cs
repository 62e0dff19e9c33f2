using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Quotes.Testing;

/// <summary>
/// A real AkkaQuotes node in its own process (the Quotes.Host.dll built beside the tests), so that it can be killed with
/// SIGKILL: no leave, no close frames, no goodbye; just gone.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, string akkaAddress, Uri httpUrl)
    {
        _process = process;
        AkkaAddress = akkaAddress;
        HttpUrl = httpUrl;
    }

    public string AkkaAddress { get; }
    public Uri HttpUrl { get; }
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>What the node printed (its console log), in order.</summary>
    public IReadOnlyList<string> Output => _output.ToArray();

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Output"/>, for a failure message: why a node exited.</summary>
    public string OutputTail(int lines = 40) => string.Join(Environment.NewLine, _output.TakeLast(lines));

    /// <summary>Starts a node that seeds itself (or joins <paramref name="seed"/>), with the given extra settings as environment.</summary>
    public static NodeProcess Start(IDictionary<string, string?> settings, string? seed = null) => Launch(settings, address => seed ?? address);

    /// <summary>Starts a node with no seed list: it finds the others only through what <paramref name="settings"/> say (cluster bootstrap).</summary>
    public static NodeProcess StartWithoutSeeds(IDictionary<string, string?> settings) => Launch(settings, seedOf: null);

    private static NodeProcess Launch(IDictionary<string, string?> settings, Func<string, string>? seedOf)
    {
        var port = FreePort();
        var address = $"akka.tcp://quotes@127.0.0.1:{port}";
        var http = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Quotes.Host.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["ASPNETCORE_URLS"] = http.ToString();
        start.Environment["Akka__Port"] = port.ToString();
        start.Environment["Akka__Hostname"] = "127.0.0.1";
        start.Environment["Akka__PublicHost"] = "127.0.0.1";
        if (seedOf is not null) start.Environment["Akka__Seeds__0"] = seedOf(address);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the node process");
        var node = new NodeProcess(process, address, http);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) node._output.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) node._output.Enqueue(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>SIGKILL, as an out-of-memory killer or a pulled plug would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as an orchestrator stopping a node does: the node must drain and leave on its own.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();

    /// <summary>SIGSTOP: the whole process freezes, as in a long GC pause or a frozen container; nothing in it runs.</summary>
    public void Freeze() => Process.Start("kill", ["-STOP", _process.Id.ToString()])!.WaitForExit();

    /// <summary>SIGCONT: a frozen process resumes where it stopped.</summary>
    public void Resume() => Process.Start("kill", ["-CONT", _process.Id.ToString()])!.WaitForExit();

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>Where <see cref="FreePort"/> looks: below the kernel's ephemeral ports (32768 up, unless set lower).</summary>
    private static readonly (int First, int Count) Candidates = CandidatePorts();

    /// <summary>The next candidate, per process; each test process starts at a place of its own.</summary>
    private static int _nextCandidate = Random.Shared.Next();

    /// <summary>
    /// A loopback port free at this moment, for a process started later to bind. Not one the kernel picks for port 0:
    /// between this call and the node's bind, any outgoing connection of any process (Akka's, an HTTP client's) may be
    /// given an ephemeral port as its own end, and a node that then finds its port taken aborts at start. Ports below that
    /// range are taken only by an explicit bind. Each call in a process gives another port.
    /// </summary>
    public static int FreePort()
    {
        for (var tried = 0; tried < Candidates.Count; tried++)
        {
            var port = Candidates.First + (int)((uint)Interlocked.Increment(ref _nextCandidate) % (uint)Candidates.Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: the next one
            }
        }
        throw new InvalidOperationException($"no free loopback port from {Candidates.First} to {Candidates.First + Candidates.Count - 1}");
    }

    /// <summary>From 15000 up to the ephemeral ports, or above them when they start lower (Linux's default: 32768–60999).</summary>
    private static (int First, int Count) CandidatePorts()
    {
        const int first = 15_000;
        var range = File.Exists("/proc/sys/net/ipv4/ip_local_port_range")
            ? File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray()
            : [32_768, 60_999];
        return range[0] - first >= 2_000 ? (first, range[0] - first)
            : 65_535 - range[1] >= 2_000 ? (range[1] + 1, 65_535 - range[1])
            : throw new InvalidOperationException($"no room for test ports outside the ephemeral range {range[0]}-{range[1]}");
    }
}
