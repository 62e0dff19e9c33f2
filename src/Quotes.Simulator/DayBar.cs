namespace Quotes.Simulator;

/// <summary>
/// One New York date of a <see cref="PriceWalk"/>, as a daily bar: the day it ended with, or the prior session it started
/// from (<see cref="PriceWalk.PreviousDay"/>).
/// </summary>
/// <param name="Date">The New York date; null for the prior session of a walk never asked for a date yet.</param>
/// <param name="Transactions">Trades that day.</param>
public readonly record struct DayBar(DateOnly? Date, decimal Open, decimal High, decimal Low, decimal Close, long Volume, decimal Vwap, long Transactions);
