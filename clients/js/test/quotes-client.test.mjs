// Unit tests of the browser client module's connection logic (reconnect, backoff, re-subscribe, keep-alive).
// The WebSocket and the clock are test doubles here; the real thing runs in quotes-store.host.test.mjs and the dashboard's Chromium tests (real host).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuotesClient, QuotesError, reconnectDelay } from '../src/quotes-client.js';
import { newClient, accept, stayUp, fakeFetch, fakeSockets } from './fakes.mjs';

/** Lets the client's awaited work (the key check's fetch) run. */
const settle = () => new Promise(resolve => setImmediate(resolve));

test('reconnect delays double from the minimum, stay within half to full of each step, and stop at the maximum', () => {
  const options = { min: 500, max: 30000 };
  for (const [attempt, step] of [[0, 500], [1, 1000], [2, 2000], [5, 16000], [6, 30000], [40, 30000]]) {
    assert.equal(reconnectDelay(attempt, { ...options, random: () => 0 }), step / 2);
    assert.equal(reconnectDelay(attempt, { ...options, random: () => 0.999999 }), step);
  }
});

test('the key goes in the query string and requests made before the connection opens are sent after welcome', async () => {
  const { client, sockets } = newClient();
  client.connect();
  const subscribed = client.subscribe(['AAPL', 'TSLA']);
  assert.equal(new URL(sockets[0].url).searchParams.get('apiKey'), 'k 1');
  assert.equal(sockets[0].sent.length, 0);
  sockets[0].welcome();
  assert.deepEqual(sockets[0].lastSent('subscribe').symbols, ['AAPL', 'TSLA']);
  accept(sockets[0]);
  assert.deepEqual((await subscribed).symbols, ['AAPL', 'TSLA']);
  assert.deepEqual(client.symbols, ['AAPL', 'TSLA']);
  assert.equal(client.state, 'open');
});

test('after a dropped connection it reconnects with backoff and re-subscribes every held symbol', async () => {
  const { client, clock, sockets, states } = newClient();
  client.connect();
  sockets[0].welcome();
  const first = client.subscribe(['AAPL', 'NVDA']);
  accept(sockets[0]);
  await first;

  sockets[0].drop(1006);
  assert.equal(states.at(-1).state, 'reconnecting');
  assert.equal(states.at(-1).delay, 375); // attempt 0: between 250 and 500, jitter 0.5
  clock.advance(374);
  assert.equal(sockets.length, 1);
  clock.advance(1);
  assert.equal(sockets.length, 2);

  // The second attempt fails before welcome: the next delay is longer.
  sockets[1].drop(1006);
  assert.equal(states.at(-1).delay, 750);
  clock.advance(750);
  sockets[2].welcome();
  assert.deepEqual(sockets[2].lastSent('subscribe').symbols, ['AAPL', 'NVDA']);

  // A connection that stays up resets the backoff (a welcome alone does not: see the next specs).
  stayUp(clock, sockets[2], 30000);
  sockets[2].drop(1006);
  assert.equal(states.at(-1).delay, 375);
});

test('a server that closes right after welcome (1008 slow consumer, 1011) is reconnected to after growing delays', () => {
  const { client, clock, sockets, states } = newClient();
  client.connect();
  const delays = [];
  for (let i = 0; i < 7; i++) {
    sockets[i].welcome();
    clock.advance(1000);
    sockets[i].drop(i % 2 ? 1011 : 1008, 'slow consumer');
    delays.push(states.at(-1).delay);
    clock.advance(states.at(-1).delay);
  }
  assert.deepEqual(delays, [375, 750, 1500, 3000, 6000, 12000, 22500]);
});

test('the backoff starts again from the minimum once a connection has stayed up 30 s', () => {
  const { client, clock, sockets, states } = newClient();
  client.connect();
  sockets[0].drop(1006);
  clock.advance(375);
  sockets[1].drop(1006);
  clock.advance(750);
  sockets[2].welcome();
  stayUp(clock, sockets[2], 29000);
  sockets[2].drop(1006);
  assert.equal(states.at(-1).delay, 1500, 'up 29 s: still growing');
  clock.advance(1500);
  sockets[3].welcome();
  stayUp(clock, sockets[3], 30000);
  sockets[3].drop(1006);
  assert.equal(states.at(-1).delay, 375, 'up 30 s: from the minimum again');
});

test('a connection attempt with no welcome within connectTimeout (an upgrade never answered) is closed and made again', () => {
  const { client, clock, sockets, states } = newClient();
  client.connect();
  clock.advance(9999);
  assert.equal(sockets[0].closed, null);
  clock.advance(1);
  assert.ok(sockets[0].closed, 'the hanging socket is closed');
  assert.equal(states.at(-1).state, 'reconnecting');
  assert.equal(states.at(-1).delay, 375);
  clock.advance(375);
  assert.equal(sockets.length, 2);
  sockets[1].open(); // upgraded, but no welcome either
  clock.advance(10000);
  assert.ok(sockets[1].closed);
  assert.equal(states.at(-1).delay, 750, 'the backoff grows');
  clock.advance(750);
  sockets[2].welcome();
  stayUp(clock, sockets[2], 60000);
  assert.equal(sockets[2].closed, null, 'a welcomed connection is not timed out');
  assert.equal(client.state, 'open');
});

test('connectTimeout is an option', () => {
  const { client, clock, sockets } = newClient({ connectTimeout: 2000 });
  client.connect();
  clock.advance(2000);
  assert.ok(sockets[0].closed);
});

test('a 1001 from a leaving node reconnects at once (no growing delay) and resumes the same symbols', async () => {
  const { client, clock, sockets, states } = newClient();
  client.connect();
  sockets[0].drop(1006);
  clock.advance(375);
  sockets[1].drop(1006);
  clock.advance(750);
  sockets[2].welcome();
  const held = client.subscribe(['MSFT']);
  accept(sockets[2]);
  await held;
  stayUp(clock, sockets[2], 30000); // up long enough: the backoff starts again
  sockets[2].drop(1006);
  clock.advance(375);
  sockets[3].drop(1006); // attempt 1 failed
  assert.equal(states.at(-1).delay, 750);
  clock.advance(750);
  sockets[4].drop(1001, 'node leaving'); // not yet welcomed, but the node asked us to go elsewhere
  assert.equal(states.at(-1).code, 1001);
  assert.equal(states.at(-1).delay, 375);
  clock.advance(375);
  sockets[5].welcome();
  assert.deepEqual(sockets[5].lastSent('subscribe').symbols, ['MSFT']);
});

test('1001s that keep coming soon after welcome step the delay up; a connection that stayed up starts it again', () => {
  const { client, clock, sockets, states } = newClient();
  client.connect();
  // A balancer that keeps sending the client to a draining node: welcome, then 1001 a moment later, again and again.
  const delays = [];
  for (let i = 0; i < 6; i++) {
    sockets.at(-1).welcome();
    clock.advance(50);
    sockets.at(-1).drop(1001, 'node leaving');
    delays.push(states.at(-1).delay);
    clock.advance(states.at(-1).delay);
  }
  assert.deepEqual(delays, [375, 750, 1500, 3000, 6000, 12000]);
  sockets.at(-1).drop(1006); // a failure after them: one step up, which is past maxDelay (30 s), jittered
  assert.equal(states.at(-1).delay, 22500);
  clock.advance(22500);
  sockets.at(-1).welcome();
  stayUp(clock, sockets.at(-1), 30000);
  sockets.at(-1).drop(1001, 'node leaving'); // after a connection that stayed up: the first step again
  assert.equal(states.at(-1).delay, 375);
  clock.advance(375);
  sockets.at(-1).drop(1006);
  assert.equal(states.at(-1).delay, 750);
});

test('a rejected subscribe rejects with the protocol error and holds nothing from it', async () => {
  const { client, sockets } = newClient();
  client.connect();
  sockets[0].welcome();
  const request = client.subscribe(['ZZZ1']);
  const { id } = sockets[0].lastSent('subscribe');
  sockets[0].deliver({ type: 'error', code: 'SYMBOL_LIMIT', message: 'at most 50 symbols', symbols: ['ZZZ1'], id });
  await assert.rejects(request, e => e instanceof QuotesError && e.code === 'SYMBOL_LIMIT' && e.symbols[0] === 'ZZZ1');
  assert.deepEqual(client.symbols, []);
});

test('unsubscribed symbols are not brought back by a reconnect', async () => {
  const { client, clock, sockets } = newClient();
  client.connect();
  sockets[0].welcome();
  const held = client.subscribe(['AAPL', 'TSLA']);
  accept(sockets[0]);
  await held;
  const removed = client.unsubscribe(['tsla']);
  const { id } = sockets[0].lastSent('unsubscribe');
  sockets[0].deliver({ type: 'unsubscribed', symbols: ['TSLA'], count: 1, id });
  await removed;
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome();
  assert.deepEqual(sockets[1].lastSent('subscribe').symbols, ['AAPL']);
});

test('a request in flight when the socket drops is sent again on the next connection and then settles', async () => {
  const { client, clock, sockets } = newClient();
  client.connect();
  sockets[0].welcome();
  const request = client.subscribe(['AMD']);
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome();
  const resent = sockets[1].sent.filter(m => m.type === 'subscribe').map(m => m.symbols);
  assert.deepEqual(resent, [['AMD']]);
  accept(sockets[1]);
  await request;
  assert.deepEqual(client.symbols, ['AMD']);
});

test('a silent link is pinged, and one that stays silent is dropped and reconnected', () => {
  const { client, clock, sockets, states } = newClient();
  client.connect();
  sockets[0].welcome();
  clock.advance(15000);
  assert.ok(sockets[0].lastSent('ping'), 'a ping after 15 s without messages');
  clock.advance(10000);
  assert.ok(sockets[0].closed, 'the dead socket is closed');
  assert.equal(states.at(-1).state, 'reconnecting');
  clock.advance(500);
  assert.equal(sockets.length, 2);
});

test('timers firing late (a throttled background tab) do not close a healthy link: it is pinged first', () => {
  const { client, clock, sockets } = newClient();
  clock.lag = 45000;
  client.connect();
  sockets[0].welcome();
  clock.advance(60000); // the check meant for 15 s comes at 60 s
  assert.equal(sockets[0].sent.filter(m => m.type === 'ping').length, 1, 'pinged, not closed');
  assert.equal(sockets[0].closed, null);
  clock.advance(1000);
  sockets[0].deliver({ type: 'pong', time: 1 });
  clock.advance(60000); // the next check: quiet again, pinged again, still open
  assert.equal(sockets[0].closed, null);
  assert.equal(sockets[0].sent.filter(m => m.type === 'ping').length, 2);
  clock.advance(55000); // no answer to that ping, and pingTimeout has passed since it
  assert.ok(sockets[0].closed, 'a ping left unanswered for pingTimeout closes the link');
  assert.equal(client.state, 'reconnecting');
});

test('quotes keep a busy link alive without pings', () => {
  const { client, clock, sockets } = newClient();
  client.connect();
  sockets[0].welcome();
  for (let i = 0; i < 10; i++) {
    clock.advance(5000);
    sockets[0].deliver({ type: 'quote', symbol: 'AAPL', price: 1, seq: i });
  }
  assert.equal(sockets[0].lastSent('ping'), undefined);
  assert.equal(sockets[0].closed, null);
});

test('quotes and status reach listeners; a throwing listener does not break the client', () => {
  const { client, sockets } = newClient();
  const quotes = [];
  const errors = [];
  const original = globalThis.reportError;
  globalThis.reportError = e => errors.push(e);
  try {
    client.on('quote', () => { throw new Error('listener bug'); });
    client.on('quote', q => quotes.push(q.symbol));
    client.connect();
    sockets[0].welcome();
    client.subscribe(['AAPL', 'TSLA']);
    accept(sockets[0]);
    sockets[0].deliver({ type: 'status', upstream: 'connected', market: 'open' }, { type: 'quote', symbol: 'AAPL', price: 1 });
    sockets[0].deliver({ type: 'quote', symbol: 'TSLA', price: 2 });
  } finally {
    globalThis.reportError = original;
  }
  assert.deepEqual(quotes, ['AAPL', 'TSLA']);
  assert.equal(errors.length, 2);
  assert.equal(client.status.upstream, 'connected');
});

test('close() stops for good: no reconnect, pending requests rejected', async () => {
  const { client, clock, sockets } = newClient();
  client.connect();
  const request = client.subscribe(['AAPL']);
  client.close();
  await assert.rejects(request, e => e.code === 'CLOSED');
  clock.advance(60000);
  assert.equal(sockets.length, 1);
  assert.equal(sockets[0].closed.code, 1000);
  assert.equal(client.state, 'closed');
});

test('an unsubscribe after a subscribe still waiting for the connection wins: the symbol is not held, nor restored later', async () => {
  const { client, clock, sockets } = newClient();
  client.connect();
  const subscribed = client.subscribe(['AAPL']);
  const released = client.unsubscribe(['AAPL']);
  sockets[0].welcome();
  assert.deepEqual(sockets[0].sent.map(m => [m.type, m.symbols]), [['subscribe', ['AAPL']], ['unsubscribe', ['AAPL']]]);
  accept(sockets[0]);
  sockets[0].deliver({ type: 'unsubscribed', symbols: ['AAPL'], count: 0, id: sockets[0].lastSent('unsubscribe').id });
  await subscribed;
  await released;
  assert.deepEqual(client.symbols, []);
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome();
  assert.equal(sockets[1].sent.filter(m => m.type === 'subscribe' && m.symbols.includes('AAPL')).length, 0);
});

test('an unsubscribe while the subscribe is in flight wins too, and frees its place under the limit', async () => {
  const { client, sockets } = newClient();
  client.connect();
  sockets[0].welcome();
  const subscribed = client.subscribe(['AAPL', 'TSLA']);
  const request = sockets[0].lastSent('subscribe');
  client.unsubscribe(['aapl']);
  client.watch(Array.from({ length: 49 }, (_, i) => `S${i}`), () => {}); // 49 + TSLA: AAPL no longer counts
  sockets[0].deliver({ type: 'subscribed', symbols: ['AAPL', 'TSLA'], count: 2, limit: 50, id: request.id });
  await subscribed;
  assert.deepEqual(client.symbols, ['TSLA']);
});

test('without a WebSocket constructor (Node 20, none passed in) the constructor says so, rather than retrying forever', () => {
  const own = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
  Object.defineProperty(globalThis, 'WebSocket', { value: undefined, configurable: true, writable: true });
  try {
    assert.throws(() => new QuotesClient({ url: 'ws://example.test/ws' }), e => e instanceof TypeError && /pass options\.WebSocket/.test(e.message));
  } finally {
    if (own) Object.defineProperty(globalThis, 'WebSocket', own);
    else delete globalThis.WebSocket;
  }
  assert.ok(new QuotesClient({ url: 'ws://example.test/ws', WebSocket: fakeSockets().FakeWebSocket }));
});

test('each reconnect is announced once: reconnecting, with its delay and the close code', () => {
  const { client, clock, sockets, states } = newClient();
  client.connect();
  sockets[0].welcome();
  sockets[0].drop(1006);
  clock.advance(375);
  sockets[1].drop(1011, 'internal error');
  clock.advance(750);
  sockets[2].welcome();
  assert.deepEqual(states.map(s => [s.state, s.code, s.delay]),
    [['connecting', undefined, undefined], ['open', undefined, undefined], ['reconnecting', 1006, 375], ['reconnecting', 1011, 750], ['open', undefined, undefined]]);
});

test('subscribe([]) and unsubscribe([]) are refused at once with the server\'s own BAD_JSON, and nothing is sent', async () => {
  const { client, sockets } = newClient();
  client.connect();
  sockets[0].welcome();
  const refusal = e => e instanceof QuotesError && e.code === 'BAD_JSON' && e.message === '"symbols" must name at least one symbol';
  await assert.rejects(client.subscribe([]), refusal);
  await assert.rejects(client.subscribe([' ', '']), e => e.code === 'INVALID_SYMBOL'); // blanks are symbols, invalid ones
  await assert.rejects(client.unsubscribe([]), refusal);
  assert.deepEqual(sockets[0].sent, []);
});

test('a request that could not be sent (server unreachable) is rejected with TIMEOUT requestTimeout after the call, and never sent', async () => {
  const { client, clock, sockets } = newClient();
  client.connect();
  const request = client.subscribe(['AAPL']);
  let outcome = null;
  request.catch(e => { outcome = e; });
  sockets[0].drop(1006); // unreachable: the attempts that follow hang
  clock.advance(9999);
  await settle();
  assert.equal(outcome, null);
  clock.advance(1);
  await assert.rejects(request, e => e.code === 'TIMEOUT' && e.message === 'subscribe not sent in 10000 ms: no connection to the server');
  sockets.at(-1).welcome();
  assert.deepEqual(sockets.at(-1).sent, [], 'the caller was told it failed: it is not sent later');
  assert.deepEqual(client.symbols, []);
});

test('a request after close() is rejected at once with CLOSED; connect() again takes requests again', async () => {
  const { client, sockets } = newClient();
  client.connect();
  sockets[0].welcome();
  client.close();
  await assert.rejects(client.subscribe(['AAPL']), e => e instanceof QuotesError && e.code === 'CLOSED');
  await assert.rejects(client.unsubscribe(['AAPL']), e => e.code === 'CLOSED');
  client.connect();
  const request = client.subscribe(['AAPL']);
  sockets[1].welcome();
  accept(sockets[1]);
  assert.deepEqual((await request).symbols, ['AAPL']);
});

test('a subscribe answered after it timed out: the server lets go of what nobody here holds, and those quotes are not emitted', async () => {
  const { client, clock, sockets } = newClient();
  client.connect();
  sockets[0].welcome();
  const quotes = [];
  client.on('quote', q => quotes.push(q.symbol));
  const request = client.subscribe(['AAPL', 'TSLA']);
  const late = sockets[0].lastSent('subscribe');
  clock.advance(10000);
  await assert.rejects(request, e => e.code === 'TIMEOUT');
  client.watch(['TSLA'], () => {}); // wanted again meanwhile: kept
  accept(sockets[0]);
  sockets[0].deliver({ type: 'subscribed', symbols: ['AAPL', 'TSLA'], count: 2, limit: 50, id: late.id },
    { type: 'quote', symbol: 'AAPL', price: 1, seq: 1, snapshot: true }, { type: 'quote', symbol: 'TSLA', price: 2, seq: 1, snapshot: true });
  assert.deepEqual(sockets[0].lastSent('unsubscribe')?.symbols, ['AAPL']);
  assert.deepEqual(quotes, ['TSLA'], 'no quote of a symbol the client neither holds nor watches');
  assert.deepEqual(client.symbols, []);
  assert.equal(client.quote('AAPL'), null);
});

test('a key the server refuses (an attempt that never opens, and the REST API\'s 401) stops the client with UNAUTHORIZED', async () => {
  const { fetch, requests } = fakeFetch({ status: 401, body: { success: false, error: 'the API key is not valid', code: 'UNAUTHORIZED' } });
  const { client, clock, sockets, states } = newClient({ url: 'wss://example.test/ws', fetch });
  const errors = [];
  client.on('error', e => errors.push(e));
  client.connect();
  const refused = assert.rejects(client.subscribe(['AAPL']),
    e => e instanceof QuotesError && e.code === 'UNAUTHORIZED' && e.message === 'the API key is not valid');
  client.watch(['TSLA'], () => {});
  sockets[0].drop(1006); // what a browser shows of a 401 upgrade
  await settle();
  assert.deepEqual(requests, [{ url: 'https://example.test/api/market/status', headers: { 'X-API-Key': 'k 1' } }]);
  await refused;
  assert.deepEqual(errors.map(e => e.code), ['UNAUTHORIZED']);
  assert.equal(client.subscriptionError('TSLA')?.code, 'UNAUTHORIZED', 'a watcher sees why (useMarketData\'s error)');
  assert.deepEqual(states.at(-1), { state: 'closed', reason: 'the API key is not valid' });
  clock.advance(120000);
  assert.equal(sockets.length, 1, 'no more attempts');
  await assert.rejects(client.subscribe(['MSFT']), e => e.code === 'UNAUTHORIZED');
  // Closing a client that already stopped says nothing new (found from outside: a second `closed` state event).
  const before = states.length;
  client.close();
  assert.equal(states.length, before);
  assert.equal(client.state, 'closed');
});

test('an attempt that never opens with a key the REST API takes, or no answer from it, goes on reconnecting', async () => {
  const { client, clock, sockets, fetches } = newClient({ url: 'ws://example.test/quotes/ws?x=1' });
  client.connect();
  sockets[0].drop(1006);
  await settle();
  assert.deepEqual(fetches.map(r => r.url), ['http://example.test/quotes/api/market/status'], 'the REST API beside the socket');
  clock.advance(375);
  assert.equal(sockets.length, 2);
  assert.equal(client.state, 'reconnecting');
  sockets[1].welcome();
  sockets[1].drop(1006); // it had opened: not a key problem, nothing to ask
  await settle();
  assert.equal(fetches.length, 1);

  const down = newClient({ fetch: async () => { throw new TypeError('fetch failed'); } });
  down.client.connect();
  down.sockets[0].drop(1006);
  await settle();
  down.clock.advance(375);
  assert.equal(down.sockets.length, 2);
  assert.equal(down.client.state, 'reconnecting');
});

/** Sends `socket` records with the clock's time, as the server would count them. */
function timeSends(socket, clock) {
  const times = [];
  const send = socket.send.bind(socket);
  socket.send = text => { times.push(clock.time); send(text); };
  return times;
}

/**
 * The server's command budget (src/Quotes.Actors/Sessions/CommandRateLimiter.cs, docs/PROTOCOL.md: 20 a second, bursts
 * of 40) over these send times: how many it would refuse.
 */
function refusedByServer(times) {
  let tokens = 40, last = null, refused = 0;
  for (const at of times) {
    if (last !== null) tokens = Math.min(40, tokens + (at - last) / 1000 * 20);
    last = at;
    if (tokens >= 1) tokens -= 1; else refused++;
  }
  return refused;
}

/** The server's answers to every request sent on `socket` and not answered yet. */
function answerAll(socket, answered) {
  for (const m of socket.sent) {
    if (m.type === 'ping' || answered.has(m.id)) continue;
    answered.add(m.id);
    socket.deliver({ type: m.type === 'subscribe' ? 'subscribed' : 'unsubscribed', symbols: m.symbols, count: 0, limit: 50, id: m.id });
  }
}

test('140 subscribe() calls at once: a burst of 30 goes out, the rest follow at 15 a second within the server\'s budget, and all resolve', async () => {
  const { client, clock, sockets } = newClient();
  client.connect();
  sockets[0].welcome();
  const times = timeSends(sockets[0], clock);
  const requests = Array.from({ length: 140 }, (_, i) => client.subscribe([`S${i % 50}`]));
  assert.equal(sockets[0].sent.length, 30, 'the burst');
  const answered = new Set();
  answerAll(sockets[0], answered);
  clock.advance(1000);
  assert.equal(sockets[0].sent.length, 45, '15 a second after it');
  for (let t = 0; t < 7000; t += 100) {
    clock.advance(100);
    answerAll(sockets[0], answered);
  }
  assert.equal(sockets[0].sent.length, 140);
  assert.equal(times.at(-1), 7334, '(140 - 30) / 15 s after the call: inside requestTimeout');
  assert.equal(refusedByServer(times), 0);
  assert.deepEqual(sockets[0].sent.map(m => m.symbols[0]), Array.from({ length: 140 }, (_, i) => `S${i % 50}`), 'in order');
  const replies = await Promise.all(requests);
  assert.equal(replies.length, 140);
});

test('a request still waiting its turn when requestTimeout passes is rejected with TIMEOUT, never sent, and spends no budget', async () => {
  const { client, clock, sockets } = newClient({ requestTimeout: 1000 });
  client.connect();
  sockets[0].welcome();
  const outcomes = Array.from({ length: 60 }, (_, i) => client.subscribe([`S${i % 50}`]).then(() => 'ok', e => e));
  clock.advance(999);
  assert.equal(sockets[0].sent.length, 44, '30 at once, then one every 67 ms');
  clock.advance(1); // the calls' requestTimeout: none answered, sent or not
  const unsent = (await Promise.all(outcomes)).slice(44);
  assert.ok(unsent.every(e => e.code === 'TIMEOUT' && e.message === 'subscribe not sent in 1000 ms: still waiting its turn under the connection\'s command budget'),
    JSON.stringify(unsent.map(e => e.message)));
  stayUp(clock, sockets[0], 60000);
  assert.equal(sockets[0].sent.filter(m => m.type === 'subscribe').length, 44, 'the requests timed out waiting are never sent');
  const next = client.subscribe(['AAPL']);
  assert.deepEqual(sockets[0].lastSent('subscribe').symbols, ['AAPL'], 'the budget refilled meanwhile: sent at once');
  accept(sockets[0]);
  await next;
});

test('requests waiting their turn when the connection drops are sent after the next welcome, from a fresh budget; close() rejects them unsent', async () => {
  const { client, clock, sockets } = newClient({ requestTimeout: 60000 });
  client.connect();
  sockets[0].welcome();
  client.watch(['AAPL'], () => {});
  await settle();
  const outcomes = Array.from({ length: 40 }, (_, i) => client.subscribe([`S${i}`]).then(() => 'ok', e => e.code));
  assert.equal(sockets[0].sent.length, 30, 'the watch\'s subscribe and 29 of them');
  sockets[0].drop(1006);
  clock.advance(500);
  assert.equal(sockets[0].sent.length, 30, 'nothing more on the dead socket');
  sockets[1].welcome();
  const symbols = () => sockets[1].sent.map(m => m.symbols.join());
  const all = Array.from({ length: 40 }, (_, i) => `S${i}`);
  assert.deepEqual(symbols(), ['AAPL', ...all.slice(0, 29)], 'a full burst: the held symbols restored, then the requests in order');
  clock.advance(400);
  assert.deepEqual(symbols().slice(30), all.slice(29, 35), 'then the rest at 15 a second');
  client.close();
  clock.advance(60000);
  assert.equal(sockets[1].sent.length, 36, 'close() sends none of those still waiting');
  assert.deepEqual(new Set(await Promise.all(outcomes)), new Set(['CLOSED']));
});

test('the keep-alive ping is paced too: behind requests waiting their turn, it goes out after them', () => {
  const { client, clock, sockets } = newClient({ requestTimeout: 60000 });
  client.connect();
  sockets[0].welcome();
  clock.advance(14990);
  for (let i = 0; i < 40; i++) client.subscribe([`S${i}`]).catch(() => {});
  clock.advance(10); // 15 s of silence: the ping is due, behind the 10 requests still waiting
  assert.equal(sockets[0].sent.length, 30);
  clock.advance(1000);
  assert.deepEqual(sockets[0].sent.slice(30).map(m => m.type), [...Array(10).fill('subscribe'), 'ping']);
});

/** How many of `socket`'s commands had gone out at each of `times` (ms on `clock`, from now, ascending). */
function sentAt(clock, socket, times) {
  const start = clock.time;
  return times.map(at => { clock.advance(start + at - clock.time); return socket.sent.length; });
}

test('the budget the welcome announces paces the commands: commandsPerSecond 4, commandBurst 8 send 6 at once, then 3 a second', async () => {
  const { client, clock, sockets } = newClient();
  client.connect();
  sockets[0].welcome({ commandsPerSecond: 4, commandBurst: 8 });
  const times = timeSends(sockets[0], clock);
  const outcomes = Array.from({ length: 20 }, (_, i) => client.subscribe([`S${i}`]).then(() => 'ok', e => e.code));
  assert.equal(sockets[0].sent.length, 6, 'three quarters of the burst, rounded down');
  // One every 333.3 ms (ceil to the ms: the first at 334).
  assert.deepEqual(sentAt(clock, sockets[0], [333, 334, 667, 1000, 1999, 2001, 3000, 4000, 4666, 4667, 9000]),
    [6, 7, 8, 9, 11, 12, 15, 18, 19, 20, 20]);
  assert.deepEqual(times, [0, 0, 0, 0, 0, 0, 334, 667, 1000, 1334, 1667, 2000, 2334, 2667, 3000, 3334, 3667, 4000, 4334, 4667]);
  assert.deepEqual(sockets[0].sent.map(m => m.symbols[0]), Array.from({ length: 20 }, (_, i) => `S${i}`), 'in order');
  client.close();
  await Promise.all(outcomes);
});

test('a larger announced budget is used too: commandsPerSecond 40, commandBurst 100 send 75 at once, then 30 a second', () => {
  const { client, clock, sockets } = newClient({ requestTimeout: 60000 });
  client.connect();
  sockets[0].welcome({ commandsPerSecond: 40, commandBurst: 100 });
  for (let i = 0; i < 120; i++) client.subscribe([`S${i % 50}`]).catch(() => {});
  assert.equal(sockets[0].sent.length, 75);
  assert.deepEqual(sentAt(clock, sockets[0], [1000, 1500]), [105, 120]);
  client.close();
});

test('the held symbols\' resubscribe and the requests that waited for the welcome go out under the budget it announces', async () => {
  const { client, clock, sockets } = newClient({ requestTimeout: 60000 });
  client.connect();
  sockets[0].welcome();
  client.watch(['AAPL'], () => {});
  await settle();
  sockets[0].drop(1006);
  clock.advance(500);
  for (let i = 0; i < 10; i++) client.subscribe([`S${i}`]).catch(() => {});
  sockets[1].welcome({ commandsPerSecond: 2, commandBurst: 4 });
  assert.deepEqual(sockets[1].sent.map(m => m.symbols.join()), ['AAPL', 'S0', 'S1'], 'the resubscribe first, then the requests: 3 at once');
  assert.deepEqual(sentAt(clock, sockets[1], [666, 667, 1334]), [3, 4, 5], 'then 1.5 a second');
  client.close();
});

test('a welcome without commandsPerSecond and commandBurst (an older server) keeps 30 at once, then 15 a second, also after one that had them', () => {
  const { client, clock, sockets } = newClient({ requestTimeout: 60000 });
  client.connect();
  sockets[0].welcome({ commandsPerSecond: 4, commandBurst: 8 });
  for (let i = 0; i < 10; i++) client.subscribe([`A${i}`]).catch(() => {});
  assert.equal(sockets[0].sent.length, 6, 'the first server\'s budget');
  sockets[0].drop(1006);
  clock.advance(500);
  for (let i = 0; i < 60; i++) client.subscribe([`S${i % 30}`]).catch(() => {});
  sockets[1].welcome(); // a node of an older version: no budget in its welcome
  assert.equal(sockets[1].sent.length, 30, 'the default burst, not the last connection\'s');
  assert.deepEqual(sentAt(clock, sockets[1], [1000, 2000]), [45, 60], '15 a second');
  client.close();
});

test('a commandsPerSecond or commandBurst that is not a number above 0 is ignored: that part of the budget stays at its default', () => {
  const counts = welcome => {
    const { client, clock, sockets } = newClient({ requestTimeout: 60000 });
    client.connect();
    sockets[0].welcome(welcome);
    for (let i = 0; i < 60; i++) client.subscribe([`S${i % 50}`]).catch(() => {});
    const sent = [sockets[0].sent.length, ...sentAt(clock, sockets[0], [1010])];
    client.close();
    return sent;
  };
  assert.deepEqual(counts({ commandsPerSecond: 0, commandBurst: 8 }), [6, 21], 'rate 0: 15 a second');
  assert.deepEqual(counts({ commandsPerSecond: 'x', commandBurst: 8 }), [6, 21], 'a string rate');
  assert.deepEqual(counts({ commandsPerSecond: -4, commandBurst: 8 }), [6, 21], 'a negative rate');
  assert.deepEqual(counts({ commandsPerSecond: null, commandBurst: 8 }), [6, 21], 'a null rate (what JSON makes of Infinity)');
  assert.deepEqual(counts({ commandsPerSecond: 4, commandBurst: 'x' }), [30, 33], 'a string burst: 30 at once');
  assert.deepEqual(counts({ commandsPerSecond: 4, commandBurst: 0 }), [30, 33], 'burst 0');
  assert.deepEqual(counts({ commandsPerSecond: 4, commandBurst: '8' }), [30, 33], 'a number in a string is not a number');
  assert.deepEqual(counts({ commandsPerSecond: '4', commandBurst: [8] }), [30, 45], 'both wrong: the defaults');
  assert.deepEqual(counts({ commandsPerSecond: 4, commandBurst: 1 }), [1, 4], 'a burst of 1: at least 1 at once');
});

test('a reconnect to a server that holds fewer symbols per connection (welcome.maxSymbols 3) resubscribes the first 3 in symbol order and lets the other 2 go, with an error naming them', async () => {
  // The whole resubscribe of 5 would be refused with SYMBOL_LIMIT: the server would hold none, the client all 5.
  const { client, clock, sockets } = newClient();
  const errors = [];
  client.on('error', e => errors.push(e));
  client.connect();
  sockets[0].welcome();
  const held = client.subscribe(['TSLA', 'AAPL', 'NVDA', 'MSFT', 'AMZN']);
  accept(sockets[0]);
  await held;
  sockets[0].deliver({ type: 'quote', symbol: 'NVDA', price: 1, seq: 1 });
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome({ maxSymbols: 3 });

  assert.deepEqual(sockets[1].sent.map(m => [m.type, [...m.symbols].sort()]), [['subscribe', ['AAPL', 'AMZN', 'MSFT']]]);
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof QuotesError);
  assert.equal(errors[0].code, 'SYMBOL_LIMIT');
  assert.deepEqual(errors[0].symbols, ['NVDA', 'TSLA']);
  assert.equal(errors[0].message, 'this server holds at most 3 symbols per connection: 2 held ones were let go');
  assert.deepEqual([...client.symbols].sort(), ['AAPL', 'AMZN', 'MSFT']);
  assert.equal(client.quote('NVDA'), null, 'what was kept of a symbol let go is dropped');
  assert.equal(client.subscriptionError('NVDA'), null, 'not held: no subscriptionError either');

  accept(sockets[1]);
  assert.equal(client.subscriptionError('AAPL'), null);
  stayUp(clock, sockets[1], 120000); // past any retry
  assert.deepEqual(sockets[1].sent.filter(m => m.type !== 'ping').length, 1, 'nothing asked again of the symbols let go');
  assert.equal(errors.length, 1);
  sockets[1].drop(1006);
  clock.advance(1000);
  sockets[2].welcome({ maxSymbols: 50 });
  assert.deepEqual([...sockets[2].lastSent('subscribe').symbols].sort(), ['AAPL', 'AMZN', 'MSFT'], 'let go: not restored by a later connection');
});

test('over a lower welcome.maxSymbols, watched symbols are kept before subscribe()d ones, each in symbol order', async () => {
  const { client, clock, sockets } = newClient();
  const errors = [];
  client.on('error', e => errors.push(e));
  client.connect();
  sockets[0].welcome();
  const held = client.subscribe(['MSFT', 'AMZN', 'AAPL', 'TSLA']);
  accept(sockets[0]);
  await held;
  client.watch(['TSLA', 'NVDA'], () => {}); // TSLA subscribe()d and watched
  await settle();
  accept(sockets[0]);
  sockets[0].drop(1006);
  clock.advance(500);
  sockets[1].welcome({ maxSymbols: 3 });

  assert.deepEqual(sockets[1].sent.map(m => [m.type, [...m.symbols].sort()]), [['subscribe', ['AAPL', 'NVDA', 'TSLA']]]);
  assert.deepEqual(errors.map(e => [e.code, e.symbols]), [['SYMBOL_LIMIT', ['AMZN', 'MSFT']]]);
  assert.deepEqual([...client.symbols].sort(), ['AAPL', 'TSLA']);
  assert.deepEqual([...client.watched].sort(), ['NVDA', 'TSLA']);
});
