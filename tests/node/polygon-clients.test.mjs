// The official Polygon/Massive npm clients against AkkaQuotes' Polygon-compatible façade, nothing changed but the base URL.
// Run by tests/Quotes.Host.Tests (NodeClientSpecs), which starts a real host and simulator and sets:
//   AKKAQUOTES_URL (http://127.0.0.1:PORT), AKKAQUOTES_KEY (a client key), SIMULATOR_URL (its control endpoints).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as polygon from '@polygon.io/client-js';
import * as massive from '@massive.com/client-js';

const BASE = process.env.AKKAQUOTES_URL;
const KEY = process.env.AKKAQUOTES_KEY;
const SIM = process.env.SIMULATOR_URL;
const WS_BASE = BASE.replace(/^http/, 'ws') + '/polygon';
const REST_BASE = BASE + '/polygon';
const AGGREGATE_FIELDS = ['ev', 'sym', 'v', 'av', 'op', 'vw', 'o', 'c', 'h', 'l', 'a', 'z', 's', 'e'];

// Every socket is closed at the end, even after a failed assertion, so the runner can exit.
const sockets = [];
after(() => sockets.forEach((s) => s.close()));

/** Resolves with the first message matching `match`; rejects on timeout. Keeps every message in `socket.seen`. */
function next(socket, match, timeoutMs = 15000) {
  if (!sockets.includes(socket)) sockets.push(socket);
  socket.seen ??= [];
  socket.waiters ??= [];
  if (!socket.onmessage) {
    socket.onmessage = ({ data }) => {
      for (const m of JSON.parse(data)) {
        socket.seen.push(m);
        for (const w of [...socket.waiters]) if (w.match(m)) { socket.waiters.splice(socket.waiters.indexOf(w), 1); w.resolve(m); }
      }
    };
  }
  const already = socket.seen.find(match);
  if (already) return Promise.resolve(already);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out; seen: ' + JSON.stringify(socket.seen).slice(0, 500))), timeoutMs);
    timer.unref();
    socket.waiters.push({ match, resolve: (m) => { clearTimeout(timer); resolve(m); } });
  });
}

const status = (s) => (m) => m.ev === 'status' && m.status === s;

async function subscribedAggregate(client, symbol) {
  const socket = client(KEY, WS_BASE).stocks();   // sends auth on open, without waiting for "connected"
  await next(socket, status('connected'));
  await next(socket, status('auth_success'));
  socket.send(JSON.stringify({ action: 'subscribe', params: `A.${symbol}` }));
  await next(socket, (m) => m.ev === 'status' && m.message === `subscribed to: A.${symbol}`);
  const event = await next(socket, (m) => m.ev === 'A' && m.sym === symbol);
  return { socket, event };
}

test('@polygon.io/client-js 8.2.0 streams aggregates with every field', async () => {
  const { socket, event } = await subscribedAggregate(polygon.websocketClient, 'AAPL');
  for (const field of AGGREGATE_FIELDS) assert.ok(field in event, `missing ${field}`);
  assert.equal(event.e - event.s, 1000);
  socket.close();
});

test('@massive.com/client-js 10.8.0 streams aggregates with every field', async () => {
  const { socket, event } = await subscribedAggregate(massive.websocketClient, 'TSLA');
  for (const field of AGGREGATE_FIELDS) assert.ok(field in event, `missing ${field}`);
  socket.close();
});

test('a wrong key gets auth_failed', async () => {
  const socket = polygon.websocketClient('not-a-key', WS_BASE).stocks();
  const failed = await next(socket, status('auth_failed'));
  assert.equal(failed.message, 'authentication failed');
  socket.close();
});

test('two official clients on one symbol make one upstream subscription', async () => {
  const a = await subscribedAggregate(polygon.websocketClient, 'MSFT');
  const b = await subscribedAggregate(massive.websocketClient, 'MSFT');
  const report = await (await fetch(`${SIM}/_sim/report`)).json();
  assert.equal(report.actions.filter((x) => x === 'subscribe A.MSFT').length, 1);
  a.socket.close();
  b.socket.close();
});

const day = (offset) => new Date(Date.now() - offset * 86400000).toISOString().slice(0, 10);

test('@polygon.io/client-js 8.2.0 REST calls all succeed, pagination included', async () => {
  const rest = polygon.restClient(KEY, REST_BASE, { pagination: true });
  const prev = await rest.getPreviousStocksAggregates('AAPL', true);
  assert.equal(prev.ticker, 'AAPL');
  assert.equal(prev.results.length, 1);
  const snapshot = await rest.getStocksSnapshotTicker('AAPL');
  assert.equal(snapshot.ticker.ticker, 'AAPL');
  assert.ok(snapshot.ticker.day.c > 0);
  const aggs = await rest.getStocksAggregates('AAPL', 1, 'minute', day(10), day(3), true, 'asc', 100);
  assert.ok(aggs.results.length > 100, `pagination should follow next_url past one page of 100, got ${aggs.results.length}`);
  const tickers = await rest.listTickers(undefined, undefined, 'stocks', undefined, undefined, undefined, undefined, 'apple', true, undefined, undefined, undefined, undefined, undefined, 10);
  assert.ok(tickers.results.some((t) => t.ticker === 'AAPL'));
  const market = await rest.getMarketStatus();
  assert.ok(['open', 'closed', 'extended-hours'].includes(market.market));
  const options = await rest.listOptionsContracts('AAPL', undefined, 'call');
  assert.ok(options.results.length > 0);
  assert.ok(options.results.every((c) => c.contract_type === 'call' && c.underlying_ticker === 'AAPL'));
});

test('@massive.com/client-js 10.8.0 REST calls all succeed, pagination included', async () => {
  const rest = massive.restClient(KEY, REST_BASE, { pagination: true });
  const prev = await rest.getPreviousStocksAggregates({ stocksTicker: 'NVDA', adjusted: true });
  assert.equal(prev.results[0].T, 'NVDA');
  const snapshot = await rest.getStocksSnapshotTicker({ stocksTicker: 'NVDA' });
  assert.equal(snapshot.ticker.ticker, 'NVDA');
  const aggs = await rest.getStocksAggregates({ stocksTicker: 'NVDA', multiplier: 1, timespan: 'minute', from: day(10), to: day(3), adjusted: true, sort: 'asc', limit: 100 });
  assert.ok(aggs.results.length > 100);
  const tickers = await rest.listTickers({ search: 'nvidia', active: true, market: 'stocks', limit: 10 });
  assert.ok(tickers.results.some((t) => t.ticker === 'NVDA'));
  const market = await rest.getMarketStatus();
  assert.ok(market.serverTime);
  const options = await rest.listOptionsContracts({ underlyingTicker: 'NVDA', contractType: 'put' });
  assert.ok(options.results.every((c) => c.contract_type === 'put'));
});

test('a wrong key over REST gets Polygon\'s 401 body', async () => {
  const rest = polygon.restClient('not-a-key', REST_BASE);
  await assert.rejects(rest.getMarketStatus(), (e) => e.response?.status === 401 && e.response.data.error === 'Unknown API Key');
});
