// The React hooks with the real react, react-dom and @testing-library/react (DOM: happy-dom) against a real host.
import { closeDom } from './dom.mjs';
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createElement as h, useEffect, StrictMode } from 'react';
import { render, act, cleanup } from '@testing-library/react';
import WebSocket from 'ws';
import { QuotesProvider, useMarketData, useQuote, useWebSocket, useQuotesClient } from '../src/quotes-react.js';
import { liveHost, recordingSockets, nextQuote, reaching, CLIENT_KEY, QUICK } from './live.mjs';

let host;
before(async () => { host = await liveHost(); });
afterEach(() => cleanup());
after(async () => { await host?.stop(); await closeDom(); });

/** A provider of a client on the test host (Node 20 has no global WebSocket: the `ws` package's, or a recording one). */
const provider = (children, WebSocketClass = WebSocket) =>
  h(QuotesProvider, { url: host.url, apiKey: CLIENT_KEY, options: { ...QUICK, WebSocket: WebSocketClass } }, children);

/** Renders `children` under a provider; resolves with the provider's client once it is open. */
async function mount(children, WebSocketClass) {
  let client;
  function Grab() { client = useQuotesClient(); return null; }
  const view = render(provider([h(Grab, { key: 'grab' }), h('div', { key: 'children' }, children)], WebSocketClass));
  await act(() => reaching(client, 'open'));
  return { view, client };
}

/** Waits for the client's next quote of `symbol` and lets React render it. */
async function quoteRendered(client, symbol, match) {
  let quote;
  await act(async () => { quote = await nextQuote(client, symbol, match); });
  return quote;
}

function Price({ symbol, id, renders }) {
  const quote = useQuote(symbol);
  if (renders) { renders.count++; renders.shown.push(quote); }
  return h('p', { 'data-testid': id, 'data-seq': quote?.seq ?? '', 'data-stale': String(quote?.stale ?? '') }, quote ? String(quote.price) : '…');
}

function Board({ symbols, onValue }) {
  const value = useMarketData(symbols);
  useEffect(() => { onValue(value); });
  return null;
}

const seqOf = (view, id) => view.getByTestId(id).getAttribute('data-seq');

test('two components on AAPL: one unmounted, the other keeps updating; both gone, the symbol is released on the server', async () => {
  const { RecordingWebSocket, next } = recordingSockets();
  function Two({ showFirst, showSecond }) {
    return h('div', null, showFirst && h(Price, { symbol: 'AAPL', id: 'first' }), showSecond && h(Price, { symbol: 'aapl', id: 'second' }));
  }
  const { view, client } = await mount(h(Two, { showFirst: true, showSecond: true }), RecordingWebSocket);
  const quote = await quoteRendered(client, 'AAPL');
  assert.equal(seqOf(view, 'first'), String(quote.seq));
  assert.equal(seqOf(view, 'second'), String(quote.seq));

  // The same URL and key: React keeps the provider's client and only unmounts a child.
  const rerender = props => view.rerender(provider([h('div', { key: 'grab' }), h('div', { key: 'children' }, h(Two, props))], RecordingWebSocket));
  rerender({ showFirst: false, showSecond: true });
  assert.equal(view.queryByTestId('first'), null);
  const later = await quoteRendered(client, 'AAPL', q => q.seq > quote.seq);
  assert.equal(seqOf(view, 'second'), String(later.seq), 'the remaining component keeps updating');
  assert.equal((await host.node()).symbols, 1);

  const released = next(m => m.type === 'unsubscribed');
  rerender({ showFirst: false, showSecond: false });
  const ack = await released;
  assert.deepEqual([ack.symbols, ack.count], [['AAPL'], 0]);
  const node = await host.node();
  assert.deepEqual([node.clients, node.symbols, node.subscriptions], [1, 0, 0], 'the one connection holds nothing');
});

test('a component renders only when its own symbol changes, not on quotes of other symbols', async () => {
  const renders = { count: 0, shown: [] };
  const { view, client } = await mount(h('div', null, h(Price, { symbol: 'AAPL', id: 'aapl', renders }), h(Price, { symbol: 'TSLA', id: 'tsla' })));
  await quoteRendered(client, 'AAPL');
  const before = renders.count;
  let aapl = 0, tsla = 0;
  const off = client.on('quote', q => { if (q.symbol === 'AAPL') aapl++; if (q.symbol === 'TSLA') tsla++; });
  // Ten TSLA quotes go by; AAPL's component may render only for AAPL's own quotes in that time.
  for (let i = 0; i < 10; i++) await quoteRendered(client, 'TSLA');
  off();
  assert.ok(tsla >= 10);
  assert.ok(renders.count - before <= aapl, `rendered ${renders.count - before} times for ${aapl} AAPL and ${tsla} TSLA quotes`);
  // AAPL and TSLA tick together, so the count alone could hide renders caused by TSLA: every render must also show an
  // AAPL quote the one before it did not (a render for another symbol's quote shows the same AAPL quote again).
  const window = renders.shown.slice(Math.max(0, before - 1));
  for (let i = 1; i < window.length; i++)
    assert.notEqual(window[i], window[i - 1], `render ${i} showed the same AAPL quote (seq ${window[i]?.seq}) as the render before it`);
  assert.notEqual(seqOf(view, 'tsla'), '');
});

test('useMarketData gives quotes in the order asked, null until the first, and the 51st symbol as an error', async () => {
  const values = [];
  const { client } = await mount(h(Board, { symbols: ['TSLA', 'msft', 'AAPL'], onValue: v => values.push(v) }));
  for (const symbol of ['TSLA', 'MSFT', 'AAPL']) await quoteRendered(client, symbol);
  assert.deepEqual(values[0].quotes, [null, null, null]);
  const last = values.at(-1);
  assert.deepEqual(last.quotes.map(q => q?.symbol), ['TSLA', 'MSFT', 'AAPL']);
  assert.deepEqual([last.isConnected, last.error], [true, null]);

  const crowd = [];
  await act(async () => {
    render(provider([
      h(Board, { key: 'fifty', symbols: Array.from({ length: 50 }, (_, i) => `Y${i}`), onValue: () => {} }),
      h(Board, { key: 'one', symbols: ['MSFT'], onValue: v => crowd.push(v) })]));
  });
  const refused = crowd.at(-1);
  assert.equal(refused.error?.code, 'SYMBOL_LIMIT');
  assert.equal(refused.error.message, 'a connection may hold at most 50 symbols; it holds 50 and this request adds 1');
  assert.deepEqual(refused.quotes, [null]);
});

test('a key the server refuses is useMarketData\'s error (UNAUTHORIZED), and the client stops trying', { timeout: 20000 }, async () => {
  let client, shown;
  function Grab() { client = useQuotesClient(); return null; }
  const refused = new Promise(resolve => { shown = value => { if (value.error) resolve(value); }; });
  render(h(QuotesProvider, { url: host.url, apiKey: 'not-a-key', options: { ...QUICK, WebSocket } },
    [h(Grab, { key: 'grab' }), h(Board, { key: 'board', symbols: ['AAPL'], onValue: value => shown(value) })]));
  const value = await act(() => refused);
  assert.deepEqual([value.error.code, value.error.message, value.isConnected], ['UNAUTHORIZED', 'the API key is not valid', false]);
  assert.equal(client.state, 'closed');
});

test('across a host restart the hooks show stale quotes, then reconnect and update again by themselves', async () => {
  const states = [];
  function State() { const { state, isConnected } = useWebSocket(); states.push([state, isConnected]); return null; }
  const { view, client } = await mount(h('div', null, h(State), h(Price, { symbol: 'NVDA', id: 'nvda' })));
  await quoteRendered(client, 'NVDA');
  assert.equal(view.getByTestId('nvda').getAttribute('data-stale'), 'false');

  const down = reaching(client, 'reconnecting');
  await act(async () => { await host.stop(); await down; });
  assert.equal(view.getByTestId('nvda').getAttribute('data-stale'), 'true');
  assert.deepEqual(states.at(-1), ['reconnecting', false]);

  let fresh;
  await act(async () => { const arriving = nextQuote(client, 'NVDA'); await host.start(); fresh = await arriving; });
  assert.equal(view.getByTestId('nvda').getAttribute('data-stale'), 'false');
  assert.equal(seqOf(view, 'nvda'), String(fresh.seq));
  assert.deepEqual(states.at(-1), ['open', true]);
});

test('a list of 50 rows mounting under StrictMode (each row mounted, unmounted, mounted again) sends one subscribe; leaving it, one unsubscribe', async () => {
  const { RecordingWebSocket, sent, received, next } = recordingSockets();
  const rows = Array.from({ length: 50 }, (_, i) => `W${i}`);
  let client;
  function Grab() { client = useQuotesClient(); return null; }
  const page = showRows => h(StrictMode, null, provider([h(Grab, { key: 'grab' }),
    h('div', { key: 'rows' }, showRows ? rows.map(symbol => h(Price, { key: symbol, symbol, id: symbol })) : null)], RecordingWebSocket));
  const view = render(page(false));
  await act(() => reaching(client, 'open'));
  const commands = () => sent.filter(m => m.type !== 'ping').map(m => [m.type, m.symbols]);
  const before = commands().length;

  const subscribed = next(m => m.type === 'subscribed');
  view.rerender(page(true));
  const ack = await act(() => subscribed);
  assert.deepEqual(commands().slice(before), [['subscribe', rows]], 'one subscribe, not a subscribe, unsubscribe and subscribe per row');
  assert.deepEqual([ack.symbols, ack.count], [rows, 50]);
  await quoteRendered(client, 'W7');
  assert.notEqual(seqOf(view, 'W7'), '');

  const unsubscribed = next(m => m.type === 'unsubscribed');
  view.rerender(page(false));
  await act(() => unsubscribed);
  const left = commands().slice(before + 1);
  assert.deepEqual(left.map(([type, symbols]) => [type, [...symbols].sort()]), [['unsubscribe', [...rows].sort()]]);
  assert.deepEqual(received.filter(m => m.type === 'error'), [], 'no RATE_LIMITED, nor any other refusal');
  assert.equal(client.state, 'open');
});
