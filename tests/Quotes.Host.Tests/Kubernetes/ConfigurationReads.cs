using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Quotes.Host.Tests.Kubernetes;

/// <summary>
/// A configuration source that answers nothing and notes every key looked up through it. Added on top of all the
/// others, it sees each key the host asks for (an options class bound from a section asks for each of its properties),
/// so a spec learns what the host reads from the host itself rather than from a list kept by hand.
/// </summary>
public sealed class ConfigurationReads : IConfigurationSource, IConfigurationProvider
{
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Keys => _keys.Keys.ToArray();

    public bool WasRead(string key) => _keys.ContainsKey(key);

    public bool TryGet(string key, out string? value)
    {
        _keys.TryAdd(key, 0);
        value = null;
        return false;
    }

    public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) => earlierKeys;

    public void Set(string key, string? value) { }

    public IChangeToken GetReloadToken() => new CancellationChangeToken(CancellationToken.None);

    public void Load() { }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
}
