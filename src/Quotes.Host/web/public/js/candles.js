// Candle arithmetic for the chart (pure functions, unit-tested in tests/node).
// Bars are lightweight-charts candles plus their volume: { time (Unix seconds, bar start), open, high, low, close, volume }.

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

/**
 * Unix ms of the New York midnight that starts the day holding `ms`. The wall clock's seconds since midnight are the
 * elapsed time except on the days the clocks change (23 or 25 hours long): there the first guess is an hour off, and
 * is moved to the midnight itself.
 */
export function newYorkMidnight(ms) {
  const { date, seconds } = newYorkParts(ms);
  let midnight = ms - seconds * 1000 - (((ms % 1000) + 1000) % 1000);
  const guess = newYorkParts(midnight);
  if (guess.date !== date) midnight += (86_400 - guess.seconds) * 1000; // spring forward: the guess fell on the day before
  else midnight -= guess.seconds * 1000; // fall back: the guess fell after midnight
  return midnight;
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

/**
 * The most candles the chart holds. A screen left open for weeks on 1m candles would otherwise grow its series without
 * end, and every update would copy a longer one; past the limit the oldest are dropped down to `CANDLES_KEPT`, so the
 * chart trims once per few thousand new candles, not on every one.
 */
export const CANDLES_MAX = 20_000;
export const CANDLES_KEPT = 15_000;

/** How many of the oldest `count` candles to drop: none up to `max`, else down to `kept`. */
export function candlesToDrop(count, max = CANDLES_MAX, kept = CANDLES_KEPT) {
  return count > max ? count - kept : 0;
}

/** REST bars ({t,o,h,l,c,v}, ms, ascending) to chart candles (with their volume). */
export function candlesFromHistory(bars) {
  const candles = [];
  for (const bar of bars) {
    const time = Math.floor(bar.t / 1000);
    if (candles.length && candles[candles.length - 1].time >= time) continue; // the chart needs strictly ascending times
    candles.push({ time, open: bar.o, high: bar.h, low: bar.l, close: bar.c, volume: bar.v ?? 0 });
  }
  return candles;
}

/**
 * The one-second bar a quote carries: its aggregate's own open, high, low and volume (`barOpen`, `barHigh`, `barLow`,
 * `barVolume`) with `price` as the close. A quote not made from an aggregate (a provider snapshot) has only its price
 * and no volume.
 */
export function quoteBar(quote) {
  const price = quote.price;
  if (typeof quote.barOpen !== 'number') return { open: price, high: price, low: price, close: price, volume: 0 };
  return {
    open: quote.barOpen,
    high: Math.max(quote.barHigh ?? price, price),
    low: Math.min(quote.barLow ?? price, price),
    close: price,
    volume: quote.barVolume ?? 0,
  };
}

/** The start (Unix seconds) of the candle holding the instant just before `timestamp` (a window's end belongs to it). */
function candleTime(timestamp, tf) {
  const instant = timestamp - 1;
  if (tf.frameMs === null) return Math.floor(newYorkMidnight(instant) / 1000);
  return Math.floor(instant / tf.frameMs) * tf.frameMs / 1000;
}

/**
 * The candle a live quote makes of the last one: the same candle widened by the quote's own bar (high, low, volume
 * added, close) when the quote falls in it, a new candle from that bar when it starts the next period, or null when the
 * quote is older than the last candle or repeats one already applied (`seq` not above `previous.seq`).
 * A quote's timestamp is the end of its one-second window, so the instant before it decides the period.
 * `previous` is the last quote applied to this symbol: when `seq` jumped (quotes were skipped) and both quotes fall in
 * this candle, the skipped ones happened in it too, so a rise of the day's high or a fall of the day's low since
 * `previous`, and the day volume traded since, widen it.
 * Daily candles take the day's open, high, low and volume the server tracks.
 */
export function applyQuote(last, quote, timeframe, previous = null) {
  const tf = TIMEFRAMES[timeframe];
  const price = quote.price;
  if (typeof price !== 'number' || !quote.timestamp) return null;
  if (previous && typeof previous.seq === 'number' && typeof quote.seq === 'number' && quote.seq <= previous.seq) return null;

  if (tf.frameMs === null) {
    // A day's bar may start at midnight or at the open (providers differ): the New York date decides.
    const day = { open: quote.open ?? price, high: Math.max(quote.high ?? price, price), low: Math.min(quote.low ?? price, price) };
    const volume = typeof quote.volume === 'number' ? quote.volume : null;
    if (last && newYorkDate(last.time * 1000) === newYorkDate(quote.timestamp - 1)) {
      return {
        time: last.time, open: last.open, high: Math.max(last.high, day.high), low: Math.min(last.low, day.low), close: price,
        volume: volume ?? (last.volume ?? 0) + quoteBar(quote).volume,
      };
    }
    const time = candleTime(quote.timestamp, tf);
    if (last && last.time >= time) return null;
    return { time, ...day, close: price, volume: volume ?? quoteBar(quote).volume };
  }

  const time = candleTime(quote.timestamp, tf);
  if (last && last.time > time) return null;
  const bar = quoteBar(quote);
  if (!last || last.time !== time) return { time, ...bar };
  const candle = {
    time, open: last.open, high: Math.max(last.high, bar.high), low: Math.min(last.low, bar.low), close: price,
    volume: (last.volume ?? 0) + bar.volume,
  };
  const gap = previous && typeof previous.seq === 'number' && quote.seq > previous.seq + 1
    && previous.timestamp && candleTime(previous.timestamp, tf) === time && newYorkDate(previous.timestamp - 1) === newYorkDate(quote.timestamp - 1);
  if (gap) {
    if (quote.high > previous.high) candle.high = Math.max(candle.high, quote.high);
    if (quote.low < previous.low) candle.low = Math.min(candle.low, quote.low);
    if (typeof quote.volume === 'number' && typeof previous.volume === 'number') {
      candle.volume = (last.volume ?? 0) + Math.max(bar.volume, quote.volume - previous.volume);
    }
  }
  return candle;
}

/**
 * The /api/market/historical query for the minute bars of a timeframe's periods from the one holding `since` (Unix ms)
 * to now: what the chart rebuilds its current 5m or 1h candle from.
 */
export function periodMinutesQuery(timeframe, since, now = Date.now()) {
  const start = Math.floor(since / TIMEFRAMES[timeframe].frameMs) * TIMEFRAMES[timeframe].frameMs;
  return { from: newYorkDate(start), to: newYorkDate(now), timespan: 'minute', multiplier: 1 };
}

/**
 * How a chart joins its history and the live quotes it kept, when it shows a timeframe. Providers differ in the minute in
 * progress: the built-in simulator serves finished minutes only (and none outside the regular session, though it trades
 * around the clock), Polygon's aggregates also hold the minute in progress up to about when they were asked for. Minute
 * bars tell which: a kept quote is applied on top when its minute is not among them, or when its minute is the one in
 * progress and it came after the request; the trades of every other minute are in the bars already.
 * `candles`: the history in `timeframe`; `minuteBars`: REST minute bars ({t,o,h,l,c,v}, ascending) asked for at `asked`
 * (for 1m, the history's own bars), covering the periods from the one holding `since` (when the history was asked for),
 * or null when they could not be had.
 * Returns `candles` with those periods rebuilt from the minute bars (a longer bar of the provider cannot tell whether it
 * holds the current minute), and `replay(quote)`: whether a kept quote is to be applied on top. Without minute bars,
 * and for daily candles (which take the day's values from each quote), the history is kept and the quotes of the
 * current minute replayed.
 */
export function joinLive(candles, minuteBars, timeframe, since, asked) {
  const { frameMs } = TIMEFRAMES[timeframe];
  const minuteOf = ms => Math.floor(ms / 60_000) * 60_000;
  if (frameMs === null || minuteBars === null) return { candles, replay: quote => quote.timestamp - 1 >= minuteOf(since) };
  const start = Math.floor(since / frameMs) * frameMs;
  const bars = minuteBars.filter(b => b.t >= start);
  const held = new Set(bars.map(b => b.t));
  const current = minuteOf(asked);
  const replay = quote => {
    const instant = quote.timestamp - 1;
    if (instant < start) return false;
    const minute = minuteOf(instant);
    return !held.has(minute) || (minute === current && instant >= asked);
  };
  if (!bars.length) return { candles, replay };
  const rebuilt = [];
  for (const bar of bars) {
    const time = Math.floor(bar.t / frameMs) * frameMs / 1000;
    const last = rebuilt.at(-1);
    if (last?.time === time) {
      rebuilt[rebuilt.length - 1] = {
        time, open: last.open, high: Math.max(last.high, bar.h), low: Math.min(last.low, bar.l), close: bar.c, volume: last.volume + (bar.v ?? 0),
      };
    } else if (!last || last.time < time) {
      rebuilt.push({ time, open: bar.o, high: bar.h, low: bar.l, close: bar.c, volume: bar.v ?? 0 });
    }
  }
  return { candles: [...candles.filter(c => c.time * 1000 < start), ...rebuilt], replay };
}
