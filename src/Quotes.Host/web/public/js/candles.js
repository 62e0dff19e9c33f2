// Candle arithmetic for the chart (pure functions, unit-tested in tests/node).
// Bars are lightweight-charts candles: { time (Unix seconds, bar start), open, high, low, close }.

export const TIMEFRAMES = {
  '1m': { timespan: 'minute', multiplier: 1, frameMs: 60_000, days: 4 },
  '5m': { timespan: 'minute', multiplier: 5, frameMs: 300_000, days: 10 },
  '1h': { timespan: 'hour', multiplier: 1, frameMs: 3_600_000, days: 60 },
  '1d': { timespan: 'day', multiplier: 1, frameMs: null, days: 365 },
};

const newYork = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function newYorkParts(ms) {
  const parts = Object.fromEntries(newYork.formatToParts(new Date(ms)).map(p => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, seconds: (+parts.hour * 60 + +parts.minute) * 60 + +parts.second };
}

/** The New York calendar date (YYYY-MM-DD) of a Unix-ms instant: the trading day it belongs to. */
export function newYorkDate(ms) {
  return newYorkParts(ms).date;
}

/** Unix ms of the New York midnight that starts the day holding `ms`. */
export function newYorkMidnight(ms) {
  return ms - newYorkParts(ms).seconds * 1000 - (((ms % 1000) + 1000) % 1000);
}

/** The /api/market/historical query for a timeframe, ending today (New York). */
export function historyQuery(timeframe, now = Date.now()) {
  const tf = TIMEFRAMES[timeframe];
  return {
    from: newYorkDate(now - tf.days * 86_400_000),
    to: newYorkDate(now),
    timespan: tf.timespan,
    multiplier: tf.multiplier,
  };
}

/** REST bars ({t,o,h,l,c}, ms, ascending) to chart candles. */
export function candlesFromHistory(bars) {
  const candles = [];
  for (const bar of bars) {
    const time = Math.floor(bar.t / 1000);
    if (candles.length && candles[candles.length - 1].time >= time) continue; // the chart needs strictly ascending times
    candles.push({ time, open: bar.o, high: bar.h, low: bar.l, close: bar.c });
  }
  return candles;
}

/**
 * The candle a live quote makes of the last one: the same candle moved (close, high, low) when the quote falls in it,
 * a new candle when it starts the next period, or null when the quote is older than the last candle.
 * A quote's timestamp is the end of its one-second window, so the instant before it decides the period.
 * Daily candles take the day's open/high/low the server tracks.
 */
export function applyQuote(last, quote, timeframe) {
  const tf = TIMEFRAMES[timeframe];
  const price = quote.price;
  if (typeof price !== 'number' || !quote.timestamp) return null;
  const instant = quote.timestamp - 1;

  if (tf.frameMs === null) {
    if (last && newYorkDate(last.time * 1000) === newYorkDate(instant)) {
      return {
        time: last.time, open: last.open,
        high: Math.max(last.high, quote.high ?? price, price),
        low: Math.min(last.low, quote.low ?? price, price),
        close: price,
      };
    }
    const time = Math.floor(newYorkMidnight(instant) / 1000);
    if (last && last.time >= time) return null;
    return { time, open: quote.open ?? price, high: Math.max(quote.high ?? price, price), low: Math.min(quote.low ?? price, price), close: price };
  }

  const time = Math.floor(instant / tf.frameMs) * tf.frameMs / 1000;
  if (last && last.time > time) return null;
  if (last && last.time === time) {
    return { time, open: last.open, high: Math.max(last.high, price), low: Math.min(last.low, price), close: price };
  }
  return { time, open: price, high: price, low: price, close: price };
}
