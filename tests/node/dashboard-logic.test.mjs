// Unit tests of the dashboard's pure logic: candles from live quotes, watchlist sorting and storage, the options chain,
// the waiting and closed states, the Fetch quote panel's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyQuote, candlesFromHistory, candlesToDrop, CANDLES_KEPT, CANDLES_MAX, historyQuery, joinLive, newYorkDate, newYorkMidnight, periodMinutesQuery, quoteBar,
} from '../../src/Quotes.Host/web/public/js/candles.js';
import { sortSymbols, loadWatchlist, saveWatchlist } from '../../src/Quotes.Host/web/public/js/watchlist.js';
import {
  rowsByStrike, underlyingPrice, atmIndex, strikeWindow, parseBand, formatIv, formatGreek, formatOpenInterest, SIDE_COLUMNS, expiriesStale, expiryToShow,
} from '../../src/Quotes.Host/web/public/js/option-chain.js';
import { quoteState, WAITING, CLOSED, EARLIER } from '../../src/Quotes.Host/web/public/js/quote-state.js';
import { describeSource, quoteErrorText } from '../../src/Quotes.Host/web/public/js/fetch-quote.js';
import { formatStamp } from '../../src/Quotes.Host/web/public/js/format.js';

const at = iso => Date.parse(iso);
const quote = (iso, price, extra = {}) => ({ symbol: 'AAPL', price, timestamp: at(iso), ...extra });

test('a price-only quote (a provider snapshot) inside the current minute moves its close, high and low; the next minute starts a new candle', () => {
  const last = { time: at('2026-11-25T15:30:00Z') / 1000, open: 10, high: 11, low: 9, close: 10, volume: 500 };
  assert.deepEqual(applyQuote(last, quote('2026-11-25T15:30:31Z', 12), '1m'), { time: last.time, open: 10, high: 12, low: 9, close: 12, volume: 500 });
  assert.deepEqual(applyQuote(last, quote('2026-11-25T15:30:40Z', 8), '1m'), { time: last.time, open: 10, high: 11, low: 8, close: 8, volume: 500 });
  // The aggregate for 15:30:59–15:31:00 ends on the boundary: it still belongs to 15:30.
  assert.equal(applyQuote(last, quote('2026-11-25T15:31:00Z', 10.5), '1m').time, last.time);
  assert.deepEqual(applyQuote(last, quote('2026-11-25T15:31:01Z', 10.5), '1m'),
    { time: at('2026-11-25T15:31:00Z') / 1000, open: 10.5, high: 10.5, low: 10.5, close: 10.5, volume: 0 });
});

test('a quote made from an aggregate brings its own bar: open, the high and low inside the second, and its volume', () => {
  const bar = (iso, o, h, l, c, v, seq, day = {}) => quote(iso, c, { barOpen: o, barHigh: h, barLow: l, barVolume: v, seq, ...day });
  assert.deepEqual(quoteBar(bar('2026-11-25T15:30:01Z', 10, 10.4, 9.8, 10.1, 300, 1)), { open: 10, high: 10.4, low: 9.8, close: 10.1, volume: 300 });
  assert.deepEqual(quoteBar(quote('2026-11-25T15:30:01Z', 7)), { open: 7, high: 7, low: 7, close: 7, volume: 0 });

  // A fresh minute starts from the first bar, then every bar widens it and adds its volume; the close is the last price.
  const q1 = bar('2026-11-25T15:31:01Z', 10, 10.4, 9.8, 10.1, 300, 1);
  const q2 = bar('2026-11-25T15:31:02Z', 10.1, 10.2, 9.5, 9.9, 200, 2);
  const q3 = bar('2026-11-25T15:31:03Z', 9.9, 10.6, 9.9, 10.5, 100, 3);
  let candle = applyQuote(null, q1, '1m');
  assert.deepEqual(candle, { time: at('2026-11-25T15:31:00Z') / 1000, open: 10, high: 10.4, low: 9.8, close: 10.1, volume: 300 });
  candle = applyQuote(candle, q2, '1m', q1);
  candle = applyQuote(candle, q3, '1m', q2);
  assert.deepEqual(candle, { time: at('2026-11-25T15:31:00Z') / 1000, open: 10, high: 10.6, low: 9.5, close: 10.5, volume: 600 });
  // The close-only candle would have missed both extremes.
  assert.ok(candle.high > Math.max(q1.price, q2.price, q3.price) && candle.low < Math.min(q1.price, q2.price, q3.price));
  // A quote already applied (the same seq again, e.g. the snapshot after a resubscribe) changes nothing.
  assert.equal(applyQuote(candle, { ...q3, snapshot: true }, '1m', q3), null);
});

test('a seq jump inside one candle widens it by the day high and low reached meanwhile, and the day volume traded', () => {
  const bar = (iso, c, seq, high, low, volume, barVolume = 100) =>
    quote(iso, c, { barOpen: c, barHigh: c, barLow: c, barVolume, seq, high, low, volume });
  const before = bar('2026-11-25T15:31:05Z', 10, 5, 10.2, 9.7, 5_000);
  const candle = { time: at('2026-11-25T15:31:00Z') / 1000, open: 10, high: 10.1, low: 9.9, close: 10, volume: 400 };
  // Seq 6–8 were skipped: meanwhile the day's high rose to 10.9 and 1,000 shares traded (this bar's 100 among them).
  const after = bar('2026-11-25T15:31:09Z', 10.3, 9, 10.9, 9.7, 6_000);
  assert.deepEqual(applyQuote(candle, after, '1m', before), { ...candle, high: 10.9, close: 10.3, volume: 1_400 });
  // Without a gap the day's high is not this candle's business (it may be from the morning).
  const next = bar('2026-11-25T15:31:06Z', 10.3, 6, 10.9, 9.7, 5_100);
  assert.deepEqual(applyQuote(candle, next, '1m', before), { ...candle, high: 10.3, close: 10.3, volume: 500 });
  // A jump across a candle boundary: the skipped quotes may belong to the previous candle, so the new one takes its bar only.
  const later = bar('2026-11-25T15:32:02Z', 10.3, 9, 10.9, 9.2, 6_000);
  assert.deepEqual(applyQuote(candle, later, '1m', before),
    { time: at('2026-11-25T15:32:00Z') / 1000, open: 10.3, high: 10.3, low: 10.3, close: 10.3, volume: 100 });
});

test('switching timeframe: the live candle joins the new history\'s last bar at the new boundary, then opens the next one', () => {
  const q = (iso, c, seq) => quote(iso, c, { barOpen: c, barHigh: c + 0.1, barLow: c - 0.1, barVolume: 10, seq });
  // 5-minute history up to the bar of 15:25 (built from the minutes done so far); quotes of 15:29 still belong to it.
  const history = candlesFromHistory([{ t: at('2026-11-25T15:20:00Z'), o: 9, h: 9.5, l: 8.9, c: 9.2, v: 1000 },
    { t: at('2026-11-25T15:25:00Z'), o: 9.2, h: 9.4, l: 9.1, c: 9.3, v: 800 }]);
  let last = history.at(-1);
  last = applyQuote(last, q('2026-11-25T15:29:59Z', 9.6, 10), '5m');
  assert.deepEqual(last, { time: at('2026-11-25T15:25:00Z') / 1000, open: 9.2, high: 9.7, low: 9.1, close: 9.6, volume: 810 });
  last = applyQuote(last, q('2026-11-25T15:30:01Z', 9.5, 11), '5m', q('2026-11-25T15:29:59Z', 9.6, 10));
  assert.equal(last.time, at('2026-11-25T15:30:00Z') / 1000);
  assert.equal(last.time % 300, 0);
  // The same quote on the hourly chart stays in the 15:00 candle.
  assert.equal(applyQuote({ ...history[0], time: at('2026-11-25T15:00:00Z') / 1000 }, q('2026-11-25T15:30:01Z', 9.5, 11), '1h').time,
    at('2026-11-25T15:00:00Z') / 1000);
});

/** Provider bars of `frameMs` merged from minute bars ({t,o,h,l,c,v}), as a provider's aggregates are. */
function merged(minuteBars, frameMs) {
  const out = [];
  for (const b of minuteBars) {
    const t = Math.floor(b.t / frameMs) * frameMs;
    const last = out.at(-1);
    if (last?.t === t) Object.assign(last, { h: Math.max(last.h, b.h), l: Math.min(last.l, b.l), c: b.c, v: last.v + b.v });
    else out.push({ ...b, t });
  }
  return out;
}

/** What the chart does on a switch: history joined with minute bars, then the kept quotes replayed through applyQuote. */
function switchTo(timeframe, history, minuteBars, quotes, since, asked) {
  const joined = joinLive(candlesFromHistory(history), minuteBars, timeframe, since, asked);
  let last = joined.candles.at(-1) ?? null;
  let previous = null;
  for (const q of quotes.filter(joined.replay)) {
    const candle = applyQuote(last, q, timeframe, previous);
    if (candle) { last = candle; previous = q; }
  }
  return { candles: joined.candles, last };
}

test('switching to 5m or 1h counts the current minute once, whether or not the provider\'s bars already hold it', () => {
  // Finished minutes 15:00–15:31, then the minute in progress: quotes every 5 s from 15:32:05; the request goes at 15:32:20.
  const minutes = Array.from({ length: 32 }, (_, i) => {
    const o = 10 + (i % 5) * 0.01;
    return { t: at('2026-11-25T15:00:00Z') + i * 60_000, o, h: o + 0.05, l: o - 0.05, c: o + 0.01, v: 100 + i };
  });
  const asked = at('2026-11-25T15:32:20Z');
  const prices = [10.2, 10.9, 10.4, 10.3, 9.5, 10.1]; // the minute's high before the request, its low after
  const quotes = prices.map((p, i) => quote(new Date(at('2026-11-25T15:32:05Z') + i * 5_000).toISOString(), p,
    { barOpen: p, barHigh: p + 0.02, barLow: p - 0.02, barVolume: 50 + i, seq: 100 + i }));
  // A provider that also serves the minute in progress holds the trades until the request in it.
  const before = quotes.filter(q => q.timestamp - 1 < asked);
  const inProgress = {
    t: at('2026-11-25T15:32:00Z'), o: before[0].barOpen, h: Math.max(...before.map(q => q.barHigh)), l: Math.min(...before.map(q => q.barLow)),
    c: before.at(-1).price, v: before.reduce((sum, q) => sum + q.barVolume, 0),
  };
  for (const [timeframe, frameMs] of [['5m', 300_000], ['1h', 3_600_000]]) {
    const start = Math.floor(asked / frameMs) * frameMs;
    const inPeriod = minutes.filter(b => b.t >= start);
    const expected = {
      time: start / 1000,
      open: inPeriod[0].o,
      high: Math.max(...inPeriod.map(b => b.h), ...quotes.map(q => q.barHigh)),
      low: Math.min(...inPeriod.map(b => b.l), ...quotes.map(q => q.barLow)),
      close: quotes.at(-1).price,
      volume: inPeriod.reduce((sum, b) => sum + b.v, 0) + quotes.reduce((sum, q) => sum + q.barVolume, 0),
    };
    const since = asked - 300; // the history was asked for just before the minute bars
    const finishedOnly = switchTo(timeframe, merged(minutes, frameMs), minutes.filter(b => b.t >= start), quotes, since, asked);
    const withCurrent = [...minutes, inProgress];
    const polygonLike = switchTo(timeframe, merged(withCurrent, frameMs), withCurrent.filter(b => b.t >= start), quotes, since, asked);
    for (const [provider, result] of [['finished minutes only', finishedOnly], ['minute in progress too', polygonLike]]) {
      for (const key of Object.keys(expected)) {
        assert.ok(Math.abs(result.last[key] - expected[key]) < 1e-9, `${timeframe}, ${provider}: ${key} ${result.last[key]}, expected ${expected[key]}`);
      }
      // The finished periods stay as the provider sent them.
      assert.deepEqual(result.candles.slice(0, -1), candlesFromHistory(merged(minutes, frameMs)).filter(c => c.time < start / 1000));
    }
  }
  // Without minute bars (the request failed) the history stays and the quotes of the current minute are replayed.
  const history = candlesFromHistory(merged(minutes, 300_000));
  const failed = joinLive(history, null, '5m', asked, asked);
  assert.equal(failed.candles, history);
  assert.deepEqual(quotes.filter(failed.replay), quotes);
  assert.deepEqual([quote('2026-11-25T15:32:00Z', 1), quote('2026-11-25T15:32:00.002Z', 1)].map(failed.replay), [false, true]);
  // The minute bars are asked for from the start of the period the history was asked in.
  assert.deepEqual(periodMinutesQuery('1h', at('2026-11-25T05:10:00Z'), at('2026-11-25T05:20:00Z')),
    { from: '2026-11-25', to: '2026-11-25', timespan: 'minute', multiplier: 1 });
  assert.equal(periodMinutesQuery('1h', at('2026-11-26T05:10:00Z'), at('2026-11-26T05:20:00Z')).from, '2026-11-26');
});

test('a period that turned between the history and its minute bars is rebuilt whole from the minute bars', () => {
  // The 5m history was asked at 15:34:50 (its 15:30 bar lacks the minute in progress), the minute bars at 15:35:10.
  const bar = (iso, o, v) => ({ t: at(iso), o, h: o + 0.1, l: o - 0.1, c: o, v });
  const history = [bar('2026-11-25T15:25:00Z', 9, 500), { ...bar('2026-11-25T15:30:00Z', 10, 400), h: 10.3 }];
  const minuteBars = [0, 1, 2, 3, 4].map(i => bar(`2026-11-25T15:3${i}:00Z`, 10 + i * 0.1, 100));
  const joined = joinLive(candlesFromHistory(history), minuteBars, '5m', at('2026-11-25T15:34:50Z'), at('2026-11-25T15:35:10Z'));
  assert.deepEqual(joined.candles.map(c => [c.time, c.volume]), [[at('2026-11-25T15:25:00Z') / 1000, 500], [at('2026-11-25T15:30:00Z') / 1000, 500]]);
  assert.equal(joined.candles[1].high, 10.5);
  const kept = ['2026-11-25T15:34:59Z', '2026-11-25T15:35:01Z'].map(iso => quote(iso, 10));
  assert.deepEqual(kept.map(joined.replay), [false, true]);
});

test('outside the minutes the provider has (the simulator before the session), every kept quote of the period is replayed', () => {
  // Yesterday's bars only; the switch to 5m at 13:53:30 (08:53:30 in New York) keeps the quotes since 13:50.
  const history = candlesFromHistory([{ t: at('2026-11-24T20:55:00Z'), o: 9, h: 9.1, l: 8.9, c: 9, v: 700 }]);
  const asked = at('2026-11-25T13:53:30Z');
  const q = (iso, p, seq) => quote(iso, p, { barOpen: p, barHigh: p, barLow: p, barVolume: 10, seq });
  const quotes = [q('2026-11-25T13:49:59Z', 11, 1), q('2026-11-25T13:50:01Z', 10, 2), q('2026-11-25T13:51:30Z', 12, 3),
    q('2026-11-25T13:53:10Z', 9, 4), q('2026-11-25T13:53:40Z', 10.5, 5)];
  const { candles, last } = switchTo('5m', history.map(c => ({ t: c.time * 1000, o: c.open, h: c.high, l: c.low, c: c.close, v: c.volume })), [], quotes,
    asked - 200, asked);
  assert.deepEqual(candles, history);
  assert.deepEqual(last, { time: at('2026-11-25T13:50:00Z') / 1000, open: 10, high: 12, low: 9, close: 10.5, volume: 40 });
});

test('five-minute and hourly candles bucket on their own boundaries; a quote older than the last candle is ignored', () => {
  const last = { time: at('2026-11-25T15:00:00Z') / 1000, open: 1, high: 1, low: 1, close: 1 };
  assert.equal(applyQuote(last, quote('2026-11-25T15:04:59Z', 2), '5m').time, last.time);
  assert.equal(applyQuote(last, quote('2026-11-25T15:05:01Z', 2), '5m').time, at('2026-11-25T15:05:00Z') / 1000);
  assert.equal(applyQuote(last, quote('2026-11-25T15:59:00Z', 2), '1h').time, last.time);
  assert.equal(applyQuote(last, quote('2026-11-25T14:59:00Z', 2), '1m'), null);
  assert.equal(applyQuote(last, { symbol: 'AAPL', price: null, timestamp: 1 }, '1m'), null);
});

test('daily candles follow the New York day and take the day open, high and low from the quote', () => {
  const yesterday = { time: at('2026-11-24T14:30:00Z') / 1000, open: 5, high: 6, low: 4, close: 5.5 };
  const today = applyQuote(yesterday, quote('2026-11-25T18:00:00Z', 7, { open: 6, high: 7.5, low: 5.8, volume: 1_000 }), '1d');
  assert.deepEqual(today, { time: newYorkMidnight(at('2026-11-25T18:00:00Z')) / 1000, open: 6, high: 7.5, low: 5.8, close: 7, volume: 1_000 });
  assert.equal(newYorkDate(today.time * 1000), '2026-11-25');
  const later = applyQuote(today, quote('2026-11-25T19:00:00Z', 8, { open: 6, high: 8, low: 5.8, volume: 2_500 }), '1d');
  assert.deepEqual(later, { ...today, high: 8, close: 8, volume: 2_500 });
  // A day bar that starts at the open (09:30 New York) rather than midnight is still today's.
  const atOpen = { ...today, time: at('2026-11-25T14:30:00Z') / 1000 };
  assert.equal(applyQuote(atOpen, quote('2026-11-25T19:00:00Z', 8, { open: 6, high: 8, low: 5.8 }), '1d').time, atOpen.time);
  // 00:30 UTC on the 26th is still the 25th in New York.
  assert.equal(applyQuote(today, quote('2026-11-26T00:30:00Z', 7.2), '1d').time, today.time);
});

test('New York midnight and dates across daylight saving', () => {
  assert.equal(new Date(newYorkMidnight(at('2026-07-01T12:00:00Z'))).toISOString(), '2026-07-01T04:00:00.000Z');
  assert.equal(new Date(newYorkMidnight(at('2026-12-01T12:00:00Z'))).toISOString(), '2026-12-01T05:00:00.000Z');
  // The days the clocks change: 23 hours (8 March 2026, from 03:00 EDT) and 25 hours (1 November 2026, after 01:00 EST).
  assert.equal(new Date(newYorkMidnight(at('2026-03-08T04:59:59Z'))).toISOString(), '2026-03-07T05:00:00.000Z');
  assert.equal(new Date(newYorkMidnight(at('2026-03-08T12:00:00Z'))).toISOString(), '2026-03-08T05:00:00.000Z');
  assert.equal(new Date(newYorkMidnight(at('2026-03-09T03:59:59Z'))).toISOString(), '2026-03-08T05:00:00.000Z');
  assert.equal(new Date(newYorkMidnight(at('2026-11-01T05:30:00Z'))).toISOString(), '2026-11-01T04:00:00.000Z');
  assert.equal(new Date(newYorkMidnight(at('2026-11-01T20:00:00Z'))).toISOString(), '2026-11-01T04:00:00.000Z');
  assert.equal(new Date(newYorkMidnight(at('2026-11-02T04:59:59Z'))).toISOString(), '2026-11-01T04:00:00.000Z');
  // A daily candle on the 23-hour day starts at its own midnight, and the day's later quotes move it.
  const open = applyQuote(null, quote('2026-03-08T14:00:00Z', 10), '1d');
  assert.equal(open.time, at('2026-03-08T05:00:00Z') / 1000);
  assert.equal(applyQuote(open, quote('2026-03-08T15:00:00Z', 11), '1d')?.close, 11);
  assert.deepEqual(historyQuery('1h', at('2026-11-26T15:00:00Z')), { from: '2026-09-27', to: '2026-11-26', timespan: 'hour', multiplier: 1 });
});

test('history bars become ascending candles in seconds, duplicates dropped', () => {
  const bars = [{ t: 60000, o: 1, h: 2, l: 0.5, c: 1.5, v: 700 }, { t: 60000, o: 9, h: 9, l: 9, c: 9, v: 1 }, { t: 120000, o: 1.5, h: 1.6, l: 1.4, c: 1.4 }];
  assert.deepEqual(candlesFromHistory(bars), [
    { time: 60, open: 1, high: 2, low: 0.5, close: 1.5, volume: 700 },
    { time: 120, open: 1.5, high: 1.6, low: 1.4, close: 1.4, volume: 0 },
  ]);
});

test('a chart left open for weeks keeps at most CANDLES_MAX candles, dropping the oldest in steps', () => {
  assert.equal(candlesToDrop(0), 0);
  assert.equal(candlesToDrop(CANDLES_MAX), 0);
  assert.equal(candlesToDrop(CANDLES_MAX + 1), CANDLES_MAX + 1 - CANDLES_KEPT);
  assert.ok(CANDLES_MAX - CANDLES_KEPT >= 1_000, 'a trim makes room for many candles, not one');
  // A month of one-minute candles, appended one by one: never more than the limit, and trimmed only a few times.
  let count = 0;
  let trims = 0;
  for (let minute = 0; minute < 30 * 24 * 60; minute++) {
    count++;
    const drop = candlesToDrop(count);
    if (drop) { count -= drop; trims++; }
    assert.ok(count <= CANDLES_MAX);
  }
  assert.equal(count, 43_200 - trims * (CANDLES_MAX + 1 - CANDLES_KEPT));
  assert.ok(trims >= 4 && trims <= 6, `${trims} trims`);
  assert.equal(candlesToDrop(12, 10, 8), 4, 'custom limits');
});

test('the watchlist sorts by any column either way, symbols without a value last', () => {
  const quotes = new Map([['AAPL', { price: 200, changePercent: -1 }], ['TSLA', { price: 300, changePercent: 2 }], ['NVDA', { price: 100, changePercent: 0.5 }]]);
  const symbols = ['TSLA', 'ZZZ', 'AAPL', 'NVDA'];
  assert.deepEqual(sortSymbols(symbols, quotes, { key: 'symbol', dir: 'asc' }), ['AAPL', 'NVDA', 'TSLA', 'ZZZ']);
  assert.deepEqual(sortSymbols(symbols, quotes, { key: 'symbol', dir: 'desc' }), ['ZZZ', 'TSLA', 'NVDA', 'AAPL']);
  assert.deepEqual(sortSymbols(symbols, quotes, { key: 'price', dir: 'asc' }), ['NVDA', 'AAPL', 'TSLA', 'ZZZ']);
  assert.deepEqual(sortSymbols(symbols, quotes, { key: 'changePercent', dir: 'desc' }), ['TSLA', 'NVDA', 'AAPL', 'ZZZ']);
});

test('the saved watchlist round-trips, and a corrupt one falls back to the default', () => {
  const items = new Map();
  const storage = { getItem: k => items.get(k) ?? null, setItem: (k, v) => items.set(k, v) };
  assert.deepEqual(loadWatchlist(storage).symbols, ['AAPL', 'TSLA', 'NVDA', 'MSFT', 'AMZN']);
  saveWatchlist(storage, { symbols: ['BRK.B', 'AMD'], sort: { key: 'price', dir: 'desc' } });
  assert.deepEqual(loadWatchlist(storage), { symbols: ['BRK.B', 'AMD'], sort: { key: 'price', dir: 'desc' } });
  items.set('akkaquotes.watchlist', '{"symbols":[1,2]');
  assert.deepEqual(loadWatchlist(storage).symbols, ['AAPL', 'TSLA', 'NVDA', 'MSFT', 'AMZN']);
});

const contract = (type, strike, extra = {}) => ({
  ticker: `O:X261218${type === 'put' ? 'P' : 'C'}${strike}`, underlying: 'X', type, strike, expiry: '2026-12-18', ...extra,
});

test('option contracts of an expiry sit side by side by strike, ascending, a missing side null', () => {
  const rows = rowsByStrike([contract('put', 10), contract('call', 10, { delta: 0.5 }), contract('call', 5), contract('put', 15)]);
  assert.deepEqual(rows.map(r => [r.strike, r.call?.type ?? null, r.put?.type ?? null]), [[5, 'call', null], [10, 'call', 'put'], [15, null, 'put']]);
  assert.equal(rows[1].call.delta, 0.5);
  assert.equal(underlyingPrice([contract('call', 5), contract('put', 5, { underlyingPrice: 11.2 })]), 11.2);
  assert.equal(underlyingPrice([contract('call', 5)]), null);
});

test('the at-the-money strike is the nearest to the price, and ±N strikes keep N either side of it', () => {
  const rows = [90, 95, 100, 105, 110, 115].map(strike => ({ strike, call: null, put: null }));
  assert.equal(atmIndex(rows, 101), 2);
  assert.equal(atmIndex(rows, 103), 3);
  assert.equal(atmIndex(rows, 102.5), 2); // a tie goes to the lower strike
  assert.equal(atmIndex(rows, 500), 5);
  assert.equal(atmIndex(rows, null), -1);
  assert.equal(atmIndex([], 100), -1);
  assert.deepEqual(strikeWindow(rows, 2, 1).map(r => r.strike), [95, 100, 105]);
  assert.deepEqual(strikeWindow(rows, 0, 2).map(r => r.strike), [90, 95, 100]);
  assert.deepEqual(strikeWindow(rows, 5, 1).map(r => r.strike), [110, 115]);
  assert.equal(strikeWindow(rows, -1, 1).length, 6); // no price yet: every strike
});

test('the price band is read from its boxes and checked before any request', () => {
  assert.deepEqual(parseBand('100', '120.5'), { strikeMin: 100, strikeMax: 120.5 });
  assert.deepEqual(parseBand('', ' 90 '), { strikeMin: undefined, strikeMax: 90 });
  assert.deepEqual(parseBand('', ''), { strikeMin: undefined, strikeMax: undefined });
  assert.match(parseBand('130', '120').error, /must not be above/);
  assert.match(parseBand('-1', '').error, /numbers of 0 or more/);
  assert.match(parseBand('abc', '').error, /numbers of 0 or more/);
});

test('option cells: IV in percent, Greeks to 3 decimals (gamma 4), open interest whole, missing values as a dash', () => {
  assert.equal(formatIv(0.2534), '25.3%');
  assert.equal(formatGreek(-0.47512), '-0.475');
  assert.equal(formatGreek(0.012345, 4), '0.0123');
  assert.equal(formatGreek(-0.0004), '0.000');
  assert.equal(formatOpenInterest(12345), '12,345');
  for (const f of [formatIv, formatGreek, formatOpenInterest]) assert.equal(f(null), '—');
  assert.deepEqual(SIDE_COLUMNS.map(c => c.key), ['bid', 'ask', 'last', 'iv', 'delta', 'gamma', 'theta', 'vega', 'openInterest']);
  const call = contract('call', 100, { bid: 4.1, ask: 4.3, last: null, iv: 0.31, delta: 0.52, gamma: 0.0213, theta: -0.051, vega: 0.114, openInterest: 1500 });
  assert.deepEqual(SIDE_COLUMNS.map(c => c.format(call[c.key])), ['4.10', '4.30', '—', '31.0%', '0.520', '0.0213', '-0.051', '0.114', '1,500']);
});

test('a card or row waits for its first quote, and shows the last price as such while the market is closed', () => {
  assert.deepEqual(quoteState(undefined, 'open'), { state: 'waiting', text: WAITING });
  assert.deepEqual(quoteState({ symbol: 'X', price: null }, 'closed'), { state: 'waiting', text: WAITING });
  assert.equal(WAITING, 'Waiting for data…');
  assert.equal(CLOSED, 'Market closed — last price');
  // Market closed: the provider's snapshot (a quote not made from an aggregate: no bar), a snapshot of the stream,
  // a REST snapshot or previous close.
  const trade = { price: 10, barOpen: 9.9, barHigh: 10.1, barLow: 9.8, barVolume: 100 };
  assert.deepEqual(quoteState({ price: 10 }, 'closed'), { state: 'closed', text: CLOSED });
  assert.deepEqual(quoteState({ ...trade, snapshot: true }, 'closed'), { state: 'closed', text: CLOSED });
  assert.deepEqual(quoteState({ price: 10, source: 'previous-close' }, 'closed'), { state: 'closed', text: CLOSED });
  assert.deepEqual(quoteState({ price: 10, source: 'snapshot' }, 'closed'), { state: 'closed', text: CLOSED });
  // A trade streamed now is live whatever the clock says; an open market's last price is just the latest price.
  assert.deepEqual(quoteState(trade, 'closed'), { state: 'live', text: '' });
  assert.deepEqual(quoteState({ ...trade, source: 'live' }, 'closed'), { state: 'live', text: '' });
  assert.deepEqual(quoteState({ price: 10, snapshot: true }, 'open'), { state: 'live', text: '' });
  assert.deepEqual(quoteState({ price: 10 }, 'extended-hours'), { state: 'live', text: '' });
  // Friday's last trade, seen closed since Friday 20:00 (or since a page opened on Saturday): the last price, all weekend;
  // a trade streamed after the page saw the market close is live.
  const closedAt = Date.UTC(2026, 10, 28, 1, 0, 0);
  const later = closedAt + 2_000;
  assert.deepEqual(quoteState({ ...trade, timestamp: closedAt - 1_000 }, 'closed', closedAt, later), { state: 'closed', text: CLOSED });
  assert.deepEqual(quoteState({ ...trade, timestamp: closedAt + 1_000 }, 'closed', closedAt, later), { state: 'live', text: '' });
  assert.deepEqual(quoteState({ ...trade, timestamp: closedAt - 1_000 }, 'open', null, later), { state: 'live', text: '' });
  // Left open over the weekend: on Monday from 04:00 (extended hours) or 09:30, until the symbol trades, Friday's last
  // price is an earlier day's, not a live one; Monday's first trade is live.
  const friday = Date.UTC(2026, 10, 28, 0, 59, 59); // Friday 19:59:59 New York
  const monday = Date.UTC(2026, 10, 30, 9, 0, 0); // Monday 04:00 New York
  assert.equal(EARLIER, 'Last price of an earlier day');
  assert.deepEqual(quoteState({ ...trade, timestamp: friday }, 'extended-hours', null, monday), { state: 'closed', text: EARLIER });
  assert.deepEqual(quoteState({ ...trade, timestamp: friday }, 'open', null, monday + 5.5 * 3_600_000), { state: 'closed', text: EARLIER });
  assert.deepEqual(quoteState({ ...trade, timestamp: friday }, 'closed', null, monday - 60_000), { state: 'closed', text: CLOSED });
  assert.deepEqual(quoteState({ ...trade, timestamp: monday + 1_000 }, 'extended-hours', null, monday + 2_000), { state: 'live', text: '' });
  // The same evening in New York, after midnight UTC, is the same day.
  assert.deepEqual(quoteState({ ...trade, timestamp: friday }, 'extended-hours', null, friday + 1_000), { state: 'live', text: '' });
});

test('the Fetch quote panel names the source and turns errors into sentences', () => {
  assert.match(describeSource('live'), /^Live/);
  assert.match(describeSource('snapshot'), /^Snapshot/);
  assert.match(describeSource('previous-close'), /^Previous close/);
  assert.match(quoteErrorText({ status: 400, code: 'INVALID_SYMBOL' }, 'BAD$'), /“BAD\$” is not a valid ticker/);
  assert.match(quoteErrorText({ status: 404, code: 'NOT_FOUND' }, 'ZZZZ'), /^No quote for ZZZZ/);
  assert.match(quoteErrorText({ status: 401, code: 'UNAUTHORIZED' }, 'AAPL'), /refused this client key/);
  assert.equal(quoteErrorText({ status: 429, code: 'RATE_LIMITED', retryAfter: 3 }, 'AAPL'), 'Too many requests: wait 3 s and try again.');
  assert.equal(quoteErrorText({ status: 429, code: 'RATE_LIMITED', retryAfter: null }, 'AAPL'), 'Too many requests: wait a moment and try again.');
  assert.match(quoteErrorText({ status: 0, code: 'NETWORK' }, 'AAPL'), /could not be reached/);
  assert.match(quoteErrorText({ status: 0, code: 'TIMEOUT' }, 'AAPL'), /did not answer in time/);
  assert.match(quoteErrorText({ status: 503, code: 'UPSTREAM_UNAVAILABLE' }, 'AAPL'), /provider is unavailable/);
  assert.match(quoteErrorText({ status: 500, code: 'INTERNAL', message: 'boom' }, 'AAPL'), /could not be fetched: boom\.$/);
  // The quote's time, New York's: the clock alone today there, with the date for an older one (a previous close).
  const now = Date.UTC(2026, 10, 25, 20, 0, 0); // 15:00 in New York
  assert.equal(formatStamp(Date.UTC(2026, 10, 25, 14, 31, 5), now), '09:31:05');
  assert.equal(formatStamp(Date.UTC(2026, 10, 24, 21, 0, 0), now), 'Nov 24 16:00:00');
  // 02:00 UTC on the 26th is 21:00 on the 25th in New York: the same day there, whatever the browser's zone.
  assert.equal(formatStamp(Date.UTC(2026, 10, 26, 2, 0, 0), Date.UTC(2026, 10, 26, 3, 0, 0)), '21:00:00');
  assert.equal(formatStamp(Date.UTC(2026, 10, 26, 5, 0, 0), Date.UTC(2026, 10, 26, 6, 0, 0)), '00:00:00');
});

test('the expiry list is read again once the chosen expiry has passed in New York, or its chain came back empty, or without one, at most once a minute', () => {
  // Chosen the week before: still listed today; on the Saturday after Friday's expiry it has passed.
  const day = 86_400_000;
  assert.equal(expiriesStale('2026-12-04', '2026-12-04', day, 60_000), false);
  assert.equal(expiriesStale('2026-12-04', '2026-12-05', day, 60_000), true);
  // Not again within the minute of a reading (a provider may list the passed expiry for a while after midnight).
  assert.equal(expiriesStale('2026-12-04', '2026-12-05', 5_000, 60_000), false);
  // The New York date decides: 01:00 UTC on the 5th is still the 4th in New York.
  assert.equal(expiriesStale('2026-12-04', newYorkDate(Date.UTC(2026, 11, 5, 1, 0)), day, 60_000), false);
  // None chosen (the list failed, or no options): again after a minute, not every refresh.
  assert.equal(expiriesStale('', '2026-12-04', 59_999, 60_000), false);
  assert.equal(expiriesStale('', '2026-12-04', 60_000, 60_000), true);
  // After the close of a 0DTE expiry the provider lists it no longer and its chain comes back empty: read the list
  // again (at most once a minute) instead of showing an empty chain until midnight.
  assert.equal(expiriesStale('2026-12-04', '2026-12-04', day, 60_000, true), true);
  assert.equal(expiriesStale('2026-12-04', '2026-12-04', 5_000, 60_000, true), false);
  assert.equal(expiryToShow(['2026-12-11', '2026-12-18'], '2026-12-04', '2026-12-04'), '2026-12-11');
  // What is shown after a reading: the choice while it is listed and not past, else the nearest not past.
  const listed = ['2026-12-04', '2026-12-11', '2026-12-18'];
  assert.equal(expiryToShow(listed, '2026-12-11', '2026-12-05'), '2026-12-11');
  assert.equal(expiryToShow(listed, '2026-12-04', '2026-12-05'), '2026-12-11'); // still listed, but past
  assert.equal(expiryToShow(listed, '', '2026-12-04'), '2026-12-04');
  assert.equal(expiryToShow(['2026-12-04'], '2026-12-04', '2026-12-05'), '2026-12-04'); // nothing later: the first
});
