using System.Text.Json.Serialization;

namespace Quotes.Contracts;

/// <summary>REST success body: <c>{"success":true,"data":...}</c>.</summary>
public sealed record RestSuccess<T>(T Data)
{
    [JsonPropertyOrder(-1)] public bool Success => true;
}

/// <summary>REST failure body: <c>{"success":false,"error":"...","code":"..."}</c>.</summary>
public sealed record RestError(string Error, string Code)
{
    [JsonPropertyOrder(-1)] public bool Success => false;
}
