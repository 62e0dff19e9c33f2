// Unit tests of shared subscriptions (watch) and the quote store, with the WebSocket and the clock as test doubles.
// The same behaviour against a real host: quotes-store.host.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuotesError } from '../src/quotes-client.js';
import { newClient, accept, stayUp, endOfTick } from './fakes.mjs';

const quote = (symbol, seq, price = 100 + seq) => ({ type: 'quote', symbol, price, seq, change: 0, changePercent: 0 });

function openClient() {
  const setup = newClient();
  setup.client.connect();
  setup.sockets[0].welcome();
  return setup;
}

test('the first watcher of a symbol subscribes it, the last one leaving unsubscribes it, and nothing in between', async () => {
  const { client, sockets } = openClient();
  const a = client.watch(['aapl', 'TSLA'], () => {});
  await endOfTick();
  assert.deepEqual(sockets[0].lastSent('subscribe').symbols, ['AAPL', 'TSLA']);
  accept(sockets[0]);
  const b = client.watch(['AAPL', 'NVDA'], () => {});
  await endOfTick();
  assert.deepEqual(sockets[0].lastSent('subscribe').symbols, ['NVDA']);
  a();
  await endOfTick();
  assert.deepEqual(sockets[0].lastSent('unsubscribe').symbols, ['TSLA']);
  a();
  await endOfTick();
  assert.equal(sockets[0].sent.filter(m => m.type === 'unsubscribe').length, 1, 'unwatch twice releases once');
  b();
  await endOfTick();
  assert.deepEqual(sockets[0].lastSent('unsubscribe').symbols, ['AAPL', 'NVDA']);
  assert.deepEqual(client.watched, []);
});

test('the store keeps the latest quote of watched symbols and calls only the listeners of the symbol that changed', () => {
  const { client, sockets } = openClient();
  const seen = { a: [], t: [] };
  client.watch(['AAPL'], (q, s) => seen.a.push([s, q.seq]));
  client.watch(['TSLA'], (q, s) => seen.t.push([s, q.seq]));
  sockets[0].deliver(quote('AAPL', 1), quote('AAPL', 2), quote('TSLA', 7), quote('MSFT', 1));
  assert.deepEqual(seen, { a: [['AAPL', 1], ['AAPL', 2]], t: [['TSLA', 7]] });
  const latest = client.quote('aapl');
  assert.equal(latest.seq, 2);
  assert.equal(latest.stale, false);
  assert.equal(latest.type, undefined);
  assert.equal(client.quote('AAPL'), latest, 'the same object until it changes');
  assert.equal(client.quote('MSFT'), null, 'quotes of symbols nobody holds are not kept');
});

test('a lost connection marks every quote stale; the next connection subscribes every watched symbol and refreshes them', async () => {
  const { client, sockets, clock } = openClient();
  const changes = [];
  client.watch(['AAPL', 'TSLA'], (q, s) => changes.push([s, q?.stale]));
  await endOfTick();
  accept(sockets[0]);
  sockets[0].deliver(quote('AAPL', 1), quote('TSLA', 1));
  sockets[0].drop(1006);
  assert.equal(client.quote('AAPL').stale, true);
  assert.equal(client.quote('TSLA').stale, true);
  assert.deepEqual(changes.slice(2), [['AAPL', true], ['TSLA', true]]);
  clock.advance(500);
  sockets[1].welcome();
  assert.deepEqual(sockets[1].lastSent('subscribe').symbols, ['AAPL', 'TSLA']);
  accept(sockets[1]);
  sockets[1].deliver(quote('AAPL', 2));
  assert.equal(client.quote('AAPL').stale, false);
  assert.equal(client.quote('TSLA').stale, true);
});

test('symbols watched or released while disconnected are what the next connection subscribes', async () => {
  const { client, sockets, clock } = openClient();
  const aapl = client.watch(['AAPL'], () => {});
  await endOfTick();
  accept(sockets[0]);
  sockets[0].drop(1006);
  aapl();
  client.watch(['NVDA'], () => {});
  await endOfTick();
  assert.equal(sockets[0].sent.filter(m => m.type === 'unsubscribe').length, 0);
  clock.advance(500);
  sockets[1].welcome();
  assert.deepEqual(sockets[1].sent.map(m => [m.type, m.symbols]), [['subscribe', ['NVDA']]]);
});

test('a watch past 50 symbols throws the server\'s SYMBOL_LIMIT and holds nothing from it', async () => {
  const { client, sockets } = openClient();
  const forty = Array.from({ length: 40 }, (_, i) => `S${i}`);
  client.watch(forty, () => {});
  await endOfTick();
  const sentBefore = sockets[0].sent.length;
  assert.throws(() => client.watch(['AAPL', ...Array.from({ length: 10 }, (_, i) => `T${i}`), 'S1'], () => {}),
    e => e instanceof QuotesError && e.code === 'SYMBOL_LIMIT'
      && e.message === 'a connection may hold at most 50 symbols; it holds 40 and this request adds 11');
  await endOfTick();
  assert.equal(sockets[0].sent.length, sentBefore);
  assert.equal(client.watched.length, 40);
  client.watch(['AAPL', ...Array.from({ length: 9 }, (_, i) => `T${i}`)], () => {});
  assert.equal(client.watched.length, 50);
});

test('subscribe() counts against the same 50 and is refused the same way, with nothing sent', async () => {
  const { client, sockets } = openClient();
  client.watch(Array.from({ length: 50 }, (_, i) => `S${i}`), () => {});
  await endOfTick();
  const sentBefore = sockets[0].sent.length;
  await assert.rejects(client.subscribe(['AAPL']), e => e.code === 'SYMBOL_LIMIT' && /it holds 50 and this request adds 1$/.test(e.message));
  await assert.rejects(client.subscribe(['S1', 'not a symbol']), e => e.code === 'INVALID_SYMBOL' && e.symbols[0] === 'NOT A SYMBOL');
  assert.throws(() => client.watch(['$$$'], () => {}), e => e.code === 'INVALID_SYMBOL');
  await endOfTick();
  assert.equal(sockets[0].sent.length, sentBefore);
});

test('subscribe() and watch() share a symbol: it stays on the server until both let go', async () => {
  const { client, sockets } = openClient();
  const subscribed = client.subscribe(['AAPL']);
  accept(sockets[0]);
  await subscribed;
  const unwatch = client.watch(['AAPL'], () => {});
  await endOfTick();
  assert.equal(sockets[0].sent.filter(m => m.type === 'subscribe').length, 1, 'already held: no second subscribe');
  await client.unsubscribe(['AAPL']);
  assert.equal(sockets[0].lastSent('unsubscribe'), undefined, 'a watcher still holds it');
  sockets[0].deliver(quote('AAPL', 3));
  assert.equal(client.quote('AAPL').seq, 3);
  unwatch();
  await endOfTick();
  assert.deepEqual(sockets[0].lastSent('unsubscribe').symbols, ['AAPL']);
  assert.equal(client.quote('AAPL'), null);
});

test('a subscribe the server refuses for watchers is kept as the symbols\' error until a quote comes', async () => {
  const { client, sockets } = openClient();
  const seen = [];
  client.watch(['AAPL'], (q, s) => seen.push([s, client.subscriptionError(s)?.code ?? null]));
  await endOfTick();
  const request = sockets[0].lastSent('subscribe');
  sockets[0].deliver({ type: 'error', code: 'CAPACITY', message: 'the key holds its 1000 symbols', id: request.id });
  assert.equal(client.subscriptionError('AAPL').code, 'CAPACITY');
  sockets[0].deliver(quote('AAPL', 1));
  assert.equal(client.subscriptionError('AAPL'), null);
  assert.deepEqual(seen, [['AAPL', 'CAPACITY'], ['AAPL', null]]);
});

test('a resubscribe refused after a reconnect (CAPACITY, INTERNAL, TIMEOUT) is tried again with backoff until the server holds the symbols', async () => {
  const { client, sockets, clock } = openClient();
  client.watch(['AAPL'], () => {});
  await endOfTick();
  accept(sockets[0]);
  sockets[0].deliver(quote('AAPL', 1));
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome();
  const refused = sockets[1].lastSent('subscribe');
  sockets[1].deliver({ type: 'error', code: 'CAPACITY', message: 'cannot check the symbol budget now; retry in a few seconds', id: refused.id });
  assert.equal(client.subscriptionError('AAPL').code, 'CAPACITY');
  clock.advance(1000); // the first retry: between 1 and 2 s (jitter 0.5: 1.5 s)
  assert.equal(sockets[1].sent.filter(m => m.type === 'subscribe').length, 1);
  clock.advance(500);
  const second = sockets[1].lastSent('subscribe');
  assert.notEqual(second.id, refused.id);
  assert.deepEqual(second.symbols, ['AAPL']);
  sockets[1].deliver({ type: 'error', code: 'INTERNAL', message: 'the server failed; try again', id: second.id });
  clock.advance(2999);
  assert.equal(sockets[1].lastSent('subscribe'), second, 'the next retry waits longer: 3 s');
  clock.advance(1);
  accept(sockets[1]);
  sockets[1].deliver(quote('AAPL', 2));
  assert.equal(client.quote('AAPL').stale, false);
  assert.equal(client.subscriptionError('AAPL'), null);
  clock.advance(120000);
  assert.equal(sockets[1].sent.filter(m => m.type === 'subscribe').length, 3, 'held now: no more retries');
});

test('a resubscribe that timed out is tried again; a symbol released meanwhile is not', async () => {
  const { client, sockets, clock } = openClient();
  const aapl = client.watch(['AAPL'], () => {});
  client.watch(['TSLA'], () => {});
  await endOfTick();
  accept(sockets[0]);
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome();
  assert.deepEqual(sockets[1].lastSent('subscribe').symbols, ['AAPL', 'TSLA']);
  clock.advance(10000); // requestTimeout: TIMEOUT
  assert.equal(client.subscriptionError('TSLA').code, 'TIMEOUT');
  aapl();
  clock.advance(1500);
  assert.deepEqual(sockets[1].lastSent('subscribe').symbols, ['TSLA']);
});

test('a resubscribe refused for good (SYMBOL_LIMIT, INVALID_SYMBOL) is surfaced and not retried', async () => {
  const { client, sockets, clock } = openClient();
  const errors = [];
  client.on('error', e => errors.push(e.code));
  client.watch(['AAPL'], () => {});
  await endOfTick();
  accept(sockets[0]);
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome();
  const { id } = sockets[1].lastSent('subscribe');
  sockets[1].deliver({ type: 'error', code: 'SYMBOL_LIMIT', message: 'a connection may hold at most 0 symbols', id });
  assert.equal(client.subscriptionError('AAPL').code, 'SYMBOL_LIMIT');
  assert.deepEqual(errors, ['SYMBOL_LIMIT']);
  sockets[1].deliver({ type: 'pong' });
  clock.advance(14000);
  sockets[1].deliver({ type: 'pong' });
  clock.advance(14000);
  assert.equal(sockets[1].sent.filter(m => m.type === 'subscribe').length, 1);
});

test('a retry waiting when the connection drops is left to the next welcome, which restores everything held', async () => {
  const { client, sockets, clock } = openClient();
  client.watch(['AAPL'], () => {});
  await endOfTick();
  accept(sockets[0]);
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome();
  sockets[1].deliver({ type: 'error', code: 'CAPACITY', message: 'retry in a few seconds', id: sockets[1].lastSent('subscribe').id });
  sockets[1].drop(1006);
  clock.advance(1500);
  assert.equal(sockets.length, 3);
  assert.equal(sockets[1].sent.filter(m => m.type === 'subscribe').length, 1);
  sockets[2].welcome();
  assert.deepEqual(sockets[2].sent.map(m => [m.type, m.symbols]), [['subscribe', ['AAPL']]]);
  clock.advance(5000);
  assert.equal(sockets[2].sent.length, 1, 'one subscribe per welcome, no retry timer left over');
});

const unsubscribes = socket => socket.sent.filter(m => m.type === 'unsubscribe');
const rateLimited = request => ({ type: 'error', code: 'RATE_LIMITED', message: 'too many messages on this connection; slow down', id: request.id });

test('an unwatch the server refuses for now (RATE_LIMITED, TIMEOUT) is sent again with backoff until the server lets the symbol go', async () => {
  const { client, sockets, clock } = openClient();
  const unwatch = client.watch(['AAPL'], () => {});
  await endOfTick();
  accept(sockets[0]);
  unwatch();
  await endOfTick();
  const first = sockets[0].lastSent('unsubscribe');
  sockets[0].deliver(rateLimited(first)); // past the server's 20 commands a second: it still holds AAPL
  clock.advance(1499);
  assert.equal(unsubscribes(sockets[0]).length, 1);
  clock.advance(1); // the holds' backoff: 1-2 s (jitter 0.5: 1.5 s), then doubling
  const second = sockets[0].lastSent('unsubscribe');
  assert.notEqual(second.id, first.id);
  assert.deepEqual(second.symbols, ['AAPL']);
  stayUp(clock, sockets[0], 10000); // no answer: TIMEOUT, asked again 3 s later
  stayUp(clock, sockets[0], 3000);
  const third = sockets[0].lastSent('unsubscribe');
  assert.notEqual(third.id, second.id);
  sockets[0].deliver({ type: 'unsubscribed', symbols: ['AAPL'], count: 0, id: third.id });
  stayUp(clock, sockets[0], 120000);
  assert.equal(unsubscribes(sockets[0]).length, 3, 'let go now: no more retries');
});

test('a symbol watched again while its refused release waits is not released', async () => {
  const { client, sockets, clock } = openClient();
  const unwatch = client.watch(['AAPL', 'TSLA'], () => {});
  await endOfTick();
  accept(sockets[0]);
  unwatch();
  await endOfTick();
  sockets[0].deliver(rateLimited(sockets[0].lastSent('unsubscribe')));
  client.watch(['TSLA'], () => {});
  await endOfTick();
  accept(sockets[0]);
  stayUp(clock, sockets[0], 1500);
  assert.deepEqual(sockets[0].lastSent('unsubscribe').symbols, ['AAPL']);
});

test('an unsubscribe() refused for now rejects, and the client asks again until the server lets the symbols go', async () => {
  const { client, sockets, clock } = openClient();
  const held = client.subscribe(['AAPL']);
  accept(sockets[0]);
  await held;
  const released = client.unsubscribe(['AAPL']);
  sockets[0].deliver(rateLimited(sockets[0].lastSent('unsubscribe')));
  await assert.rejects(released, e => e.code === 'RATE_LIMITED');
  stayUp(clock, sockets[0], 1500);
  assert.equal(unsubscribes(sockets[0]).length, 2);
  assert.deepEqual(sockets[0].lastSent('unsubscribe').symbols, ['AAPL']);
});

test('a resubscribe of subscribe()d symbols refused for now is their subscriptionError until the server holds them', async () => {
  const { client, sockets, clock } = openClient();
  const held = client.subscribe(['AAPL']);
  accept(sockets[0]);
  await held;
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome();
  sockets[1].deliver({ type: 'error', code: 'CAPACITY', message: 'the key holds its 1000 symbols', id: sockets[1].lastSent('subscribe').id });
  assert.equal(client.subscriptionError('AAPL')?.code, 'CAPACITY');
  clock.advance(1500);
  accept(sockets[1]);
  assert.equal(client.subscriptionError('AAPL'), null);
});

test('quotes with the day\'s values still unknown (null, as the server sends them) are kept as they come', async () => {
  const { client, sockets } = openClient();
  client.watch(['AAPL'], () => {});
  await endOfTick();
  accept(sockets[0]);
  const unknown = { change: null, changePercent: null, previousClose: null, previousPrice: null, open: null, high: null, low: null, vwap: null };
  sockets[0].deliver({ type: 'quote', symbol: 'AAPL', price: 1, volume: 0, timestamp: 1, seq: 1, ...unknown });
  assert.deepEqual(client.quote('AAPL'), { symbol: 'AAPL', price: 1, volume: 0, timestamp: 1, seq: 1, ...unknown, stale: false });
});

const sentOf = socket => socket.sent.map(m => [m.type, m.symbols]);

test('watches made in one tick (a list of rows mounting) go out as one subscribe, their unwatches as one unsubscribe', async () => {
  const { client, sockets } = openClient();
  const rows = Array.from({ length: 50 }, (_, i) => `R${i}`);
  const unwatches = rows.map(symbol => client.watch([symbol], () => {}));
  assert.deepEqual(sockets[0].sent, [], 'nothing before the tick ends');
  await endOfTick();
  assert.deepEqual(sentOf(sockets[0]), [['subscribe', rows]]);
  accept(sockets[0]);
  for (const unwatch of unwatches) unwatch();
  await endOfTick();
  assert.deepEqual(sentOf(sockets[0]).slice(1), [['unsubscribe', rows]]);
});

test('within one tick, a symbol watched and let go sends nothing, and a held one let go and watched again stays held with its quote', async () => {
  const { client, sockets } = openClient();
  const held = client.watch(['TSLA'], () => {});
  await endOfTick();
  accept(sockets[0]);
  sockets[0].deliver(quote('TSLA', 4));
  const before = sockets[0].sent.length;

  client.watch(['AAPL'], () => {})(); // watched and let go
  held(); // TSLA let go ...
  const seen = [];
  client.watch(['TSLA'], (q, s) => seen.push([s, q?.seq])); // ... and watched again (React StrictMode, a page change)
  await endOfTick();
  assert.deepEqual(sentOf(sockets[0]).slice(before), [], 'nothing to ask the server');
  assert.equal(client.quote('TSLA').seq, 4, 'the quote is kept: no subscribe, so no snapshot would bring it back');
  assert.equal(client.quote('AAPL'), null);
  sockets[0].deliver(quote('TSLA', 5));
  assert.deepEqual(seen, [['TSLA', 5]]);
});

test('watches and unwatches of one tick: the unsubscribe first (it frees places under the 50), then the subscribe', async () => {
  const { client, sockets } = openClient();
  const old = client.watch(['AAPL', 'TSLA'], () => {});
  await endOfTick();
  accept(sockets[0]);
  old();
  client.watch(['TSLA', 'NVDA'], () => {});
  await endOfTick();
  assert.deepEqual(sentOf(sockets[0]).slice(1), [['unsubscribe', ['AAPL']], ['subscribe', ['NVDA']]]);
});

test('a symbol let go by its last watcher while a subscribe() of it waits for its answer is not unsubscribed', async () => {
  const { client, sockets } = openClient();
  const subscribed = client.subscribe(['AAPL']);
  const request = sockets[0].lastSent('subscribe');
  const unwatch = client.watch(['AAPL'], () => {});
  await endOfTick();
  unwatch();
  await endOfTick();
  assert.equal(sockets[0].lastSent('unsubscribe'), undefined, 'the subscribe() still claims it');
  sockets[0].deliver({ type: 'subscribed', symbols: ['AAPL'], count: 1, limit: 50, id: request.id });
  await subscribed;
  assert.deepEqual(client.symbols, ['AAPL']);
});

test('a watched symbol the server refused, let go and watched again within one tick, is asked for again', async () => {
  const { client, sockets } = openClient();
  const unwatch = client.watch(['AAPL'], () => {});
  await endOfTick();
  const { id } = sockets[0].lastSent('subscribe');
  sockets[0].deliver({ type: 'error', code: 'SYMBOL_LIMIT', message: 'a connection may hold at most 50 symbols', id });
  unwatch();
  client.watch(['AAPL'], () => {});
  await endOfTick();
  assert.deepEqual(sentOf(sockets[0]), [['subscribe', ['AAPL']], ['subscribe', ['AAPL']]], 'no unsubscribe: the server does not hold it');
});

test('watched symbols past a lower welcome.maxSymbols stay watched with SYMBOL_LIMIT as their error, are not asked for again on that connection, and come back with room', async () => {
  const { client, sockets, clock } = openClient();
  const errors = [];
  client.on('error', e => errors.push(e));
  const seen = [];
  client.watch(['TSLA', 'AAPL', 'NVDA'], (q, s) => seen.push([s, client.subscriptionError(s)?.code ?? null]));
  client.watch(['MSFT', 'AMZN'], () => {});
  await endOfTick();
  accept(sockets[0]);
  sockets[0].deliver(quote('TSLA', 1));
  sockets[0].drop(1006);
  clock.advance(500);
  seen.length = 0;
  sockets[1].welcome({ maxSymbols: 3 });

  assert.deepEqual(sentOf(sockets[1]).map(([type, symbols]) => [type, [...symbols].sort()]), [['subscribe', ['AAPL', 'AMZN', 'MSFT']]]);
  assert.deepEqual(errors.map(e => [e.code, e.symbols]), [['SYMBOL_LIMIT', ['NVDA', 'TSLA']]]);
  assert.equal(client.subscriptionError('TSLA')?.code, 'SYMBOL_LIMIT', 'useMarketData\'s error');
  assert.equal(client.subscriptionError('NVDA'), errors[0]);
  assert.deepEqual(seen.sort(), [['NVDA', 'SYMBOL_LIMIT'], ['TSLA', 'SYMBOL_LIMIT']], 'their watchers are told');
  assert.deepEqual([...client.watched].sort(), ['AAPL', 'AMZN', 'MSFT', 'NVDA', 'TSLA'], 'their watchers still hold them');
  accept(sockets[1]);
  assert.equal(client.subscriptionError('AAPL'), null);
  stayUp(clock, sockets[1], 120000); // past any retry
  assert.deepEqual(sentOf(sockets[1]).filter(([type]) => type !== 'ping').length, 1, 'nothing asked again on this connection');
  assert.equal(errors.length, 1);

  sockets[1].drop(1006);
  clock.advance(1000);
  sockets[2].welcome(); // 50 again: the watched symbols are all subscribed
  assert.deepEqual([...sockets[2].lastSent('subscribe').symbols].sort(), ['AAPL', 'AMZN', 'MSFT', 'NVDA', 'TSLA']);
  accept(sockets[2]);
  assert.equal(client.subscriptionError('TSLA'), null);
  assert.equal(errors.length, 1);
});
