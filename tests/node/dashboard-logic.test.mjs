// Unit tests of the dashboard's pure logic: candles from live quotes, watchlist sorting and storage, options grouping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyQuote, candlesFromHistory, historyQuery, newYorkDate, newYorkMidnight } from '../../src/Quotes.Host/web/public/js/candles.js';
import { sortSymbols, loadWatchlist, saveWatchlist } from '../../src/Quotes.Host/web/public/js/watchlist.js';
import { chainByExpiry } from '../../src/Quotes.Host/web/public/js/options.js';

const at = iso => Date.parse(iso);
const quote = (iso, price, extra = {}) => ({ symbol: 'AAPL', price, timestamp: at(iso), ...extra });

test('a quote inside the current minute moves its close, high and low; the next minute starts a new candle', () => {
  const last = { time: at('2026-11-25T15:30:00Z') / 1000, open: 10, high: 11, low: 9, close: 10 };
  assert.deepEqual(applyQuote(last, quote('2026-11-25T15:30:31Z', 12), '1m'), { time: last.time, open: 10, high: 12, low: 9, close: 12 });
  assert.deepEqual(applyQuote(last, quote('2026-11-25T15:30:40Z', 8), '1m'), { time: last.time, open: 10, high: 11, low: 8, close: 8 });
  // The aggregate for 15:30:59–15:31:00 ends on the boundary: it still belongs to 15:30.
  assert.equal(applyQuote(last, quote('2026-11-25T15:31:00Z', 10.5), '1m').time, last.time);
  assert.deepEqual(applyQuote(last, quote('2026-11-25T15:31:01Z', 10.5), '1m'),
    { time: at('2026-11-25T15:31:00Z') / 1000, open: 10.5, high: 10.5, low: 10.5, close: 10.5 });
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
  const today = applyQuote(yesterday, quote('2026-11-25T18:00:00Z', 7, { open: 6, high: 7.5, low: 5.8 }), '1d');
  assert.deepEqual(today, { time: newYorkMidnight(at('2026-11-25T18:00:00Z')) / 1000, open: 6, high: 7.5, low: 5.8, close: 7 });
  assert.equal(newYorkDate(today.time * 1000), '2026-11-25');
  const later = applyQuote(today, quote('2026-11-25T19:00:00Z', 8, { open: 6, high: 8, low: 5.8 }), '1d');
  assert.deepEqual(later, { ...today, high: 8, close: 8 });
  // 00:30 UTC on the 26th is still the 25th in New York.
  assert.equal(applyQuote(today, quote('2026-11-26T00:30:00Z', 7.2), '1d').time, today.time);
});

test('New York midnight and dates across daylight saving', () => {
  assert.equal(new Date(newYorkMidnight(at('2026-07-01T12:00:00Z'))).toISOString(), '2026-07-01T04:00:00.000Z');
  assert.equal(new Date(newYorkMidnight(at('2026-12-01T12:00:00Z'))).toISOString(), '2026-12-01T05:00:00.000Z');
  assert.deepEqual(historyQuery('1h', at('2026-11-26T15:00:00Z')), { from: '2026-09-27', to: '2026-11-26', timespan: 'hour', multiplier: 1 });
});

test('history bars become ascending candles in seconds, duplicates dropped', () => {
  const bars = [{ t: 60000, o: 1, h: 2, l: 0.5, c: 1.5 }, { t: 60000, o: 9, h: 9, l: 9, c: 9 }, { t: 120000, o: 1.5, h: 1.6, l: 1.4, c: 1.4 }];
  assert.deepEqual(candlesFromHistory(bars), [
    { time: 60, open: 1, high: 2, low: 0.5, close: 1.5 },
    { time: 120, open: 1.5, high: 1.6, low: 1.4, close: 1.4 },
  ]);
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

test('option contracts group by expiry, then strike, with the call and the put side by side', () => {
  const chain = chainByExpiry([
    { ticker: 'O:X2', underlying: 'X', type: 'put', strike: 10, expiry: '2026-12-18' },
    { ticker: 'O:X1', underlying: 'X', type: 'call', strike: 10, expiry: '2026-12-18' },
    { ticker: 'O:X3', underlying: 'X', type: 'call', strike: 5, expiry: '2026-12-18' },
    { ticker: 'O:X4', underlying: 'X', type: 'call', strike: 5, expiry: '2026-11-27' },
  ]);
  assert.deepEqual([...chain.keys()], ['2026-11-27', '2026-12-18']);
  assert.deepEqual(chain.get('2026-12-18'), [{ strike: 5, call: 'O:X3', put: null }, { strike: 10, call: 'O:X1', put: 'O:X2' }]);
});
