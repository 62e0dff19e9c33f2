using Akka.Actor;

namespace Quotes.Actors.Sessions;

/// <summary>
/// One connection's side of <see cref="SymbolAdmission"/>: its key, and the admission on its way (at most one: the session
/// waits for it before the next command), so that what the key was granted is given back however the connection ends.
/// Used from the session actor only.
/// </summary>
public sealed class ConnectionAdmission(SymbolAdmission? admission, string? keyId = null)
{
    /// <summary>The answer when the admission itself failed (not a refusal): the request is refused, retryable.</summary>
    public const string Failed = "the request could not be admitted; retry";

    private Task<string?>? _pending;
    private IReadOnlyList<string> _pendingSymbols = [];

    /// <summary>The key's id; a façade connection learns it at <c>auth_success</c>.</summary>
    public string? KeyId { get; set; } = keyId;

    /// <summary>Whether adding <paramref name="symbols"/> must be admitted first (there is an admission, a key and something new).</summary>
    public bool IsNeededFor(IReadOnlyList<string> symbols) => admission is not null && KeyId is not null && symbols.Count > 0;

    /// <summary>
    /// Asks for <paramref name="symbols"/>; the answer (null when admitted, else the refusal) reaches <paramref name="self"/> as
    /// the message <paramref name="answer"/> makes. Call <see cref="Landed"/> when it arrives.
    /// </summary>
    public void Start(IReadOnlyList<string> symbols, IActorRef self, Func<string?, object> answer)
    {
        _pendingSymbols = symbols;
        _pending = admission!.AdmitAsync(KeyId!, symbols);
        _pending.PipeTo(self, success: answer, failure: _ => answer(Failed));
    }

    /// <summary>The answer arrived: granted symbols are now the connection's to release.</summary>
    public void Landed() => _pending = null;

    /// <summary>The connection let these symbols go.</summary>
    public void Release(IEnumerable<string> symbols)
    {
        if (KeyId is { } key) admission?.Release(key, symbols);
    }

    /// <summary>
    /// The connection stopped holding <paramref name="held"/>: gives them back, and what an admission still on its way grants
    /// once it lands.
    /// </summary>
    public void ReleaseOnStop(IEnumerable<string> held)
    {
        if (admission is null || KeyId is not { } key) return;
        admission.Release(key, held);
        var symbols = _pendingSymbols;
        _pending?.ContinueWith(t => { if (t.IsCompletedSuccessfully && t.Result is null) admission.Release(key, symbols); }, TaskScheduler.Default);
    }
}
