using System.Diagnostics.CodeAnalysis;

namespace Quotes.Host.Api;

/// <summary>
/// A validated value, or why the input was refused (<see cref="ApiError"/>): validation returns its verdict, it never throws,
/// so a bad parameter costs no exception. <c>if (MarketQueries.Symbol(raw).Failed(out var error, out var symbol)) return …;</c>
/// </summary>
public readonly struct Checked<T>
{
    private readonly T? _value;
    private readonly ApiError? _error;

    private Checked(T? value, ApiError? error)
    {
        _value = value;
        _error = error;
    }

    public static implicit operator Checked<T>(T value) => new(value, null);
    public static implicit operator Checked<T>(ApiError error) => new(default, error);

    /// <summary>True with the refusal when the input was bad; false with the value otherwise.</summary>
    public bool Failed([NotNullWhen(true)] out ApiError? error, [MaybeNullWhen(true)] out T value)
    {
        error = _error;
        value = _value!;
        return error is not null;
    }
}
