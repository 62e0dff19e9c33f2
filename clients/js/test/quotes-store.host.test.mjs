// The client's quote store and shared subscriptions against a real host (its built-in simulator), over real sockets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { QuotesClient } from '../src/quotes-client.js';
import { liveHost, recordingSockets, nextQuote, reaching, CLIENT_KEY, QUICK } from './live.mjs';
import { endOfTick } from './fakes.mjs';

let host;
before(async () => { host = await liveHost(); });
after(async () => { await host?.stop(); });

function newClient(WebSocketClass = WebSocket) {
  const client = new QuotesClient({ url: host.url, apiKey: CLIENT_KEY, WebSocket: WebSocketClass, ...QUICK });
  client.connect();
  return client;
}

test('two watchers share AAPL: one leaving leaves the other streaming; the last leaving releases it on the server', async () => {
  const { RecordingWebSocket, next } = recordingSockets();
  const client = newClient(RecordingWebSocket);
  try {
    const first = [], second = [];
    const subscribed = next(m => m.type === 'subscribed');
    const unwatchFirst = client.watch(['AAPL'], q => q && first.push(q.seq));
    const unwatchSecond = client.watch(['AAPL'], q => q && second.push(q.seq));
    assert.deepEqual((await subscribed).symbols, ['AAPL']);
    await nextQuote(client, 'AAPL');
    assert.equal(client.quote('AAPL').stale, false);
    assert.ok(first.length > 0 && first.length === second.length);

    unwatchFirst();
    const seenByFirst = first.length;
    const after = await nextQuote(client, 'AAPL', q => !q.snapshot);
    assert.equal(second.at(-1), after.seq, 'the remaining watcher gets the quotes');
    assert.equal(first.length, seenByFirst, 'the one that left gets none');
    assert.deepEqual((await host.node()).symbols, 1, 'the server still holds AAPL for this connection');

    const released = next(m => m.type === 'unsubscribed');
    unwatchSecond();
    const ack = await released;
    assert.deepEqual([ack.symbols, ack.count], [['AAPL'], 0]);
    const node = await host.node();
    assert.deepEqual([node.symbols, node.subscriptions], [0, 0], 'released upstream: the node holds AAPL for nobody');
    assert.equal(client.quote('AAPL'), null);
  } finally {
    client.close();
  }
});

test('the 51st symbol is refused by the client with the very error the server gives', async () => {
  const fifty = Array.from({ length: 50 }, (_, i) => `Z${i}`);
  // What the server itself answers, over a bare socket.
  const { RecordingWebSocket, next } = recordingSockets();
  const raw = new RecordingWebSocket(`${host.url}?apiKey=${CLIENT_KEY}`);
  await next(m => m.type === 'welcome');
  raw.send(JSON.stringify({ type: 'subscribe', symbols: fifty, id: 1 }));
  await next(m => m.type === 'subscribed');
  raw.send(JSON.stringify({ type: 'subscribe', symbols: ['AAPL'], id: 2 }));
  const server = await next(m => m.type === 'error');
  raw.close();

  const client = newClient();
  try {
    await reaching(client, 'open');
    client.watch(fifty, () => {});
    assert.throws(() => client.watch(['AAPL'], () => {}), e => e.code === server.code && e.message === server.message);
    assert.equal(server.code, 'SYMBOL_LIMIT');
    await assert.rejects(client.subscribe(['AAPL']), e => e.code === server.code && e.message === server.message);
  } finally {
    client.close();
  }
});

test('across a host restart the quotes turn stale, and every watched symbol streams again on the new host', async () => {
  const client = newClient();
  try {
    client.watch(['AAPL', 'TSLA'], () => {});
    await Promise.all([nextQuote(client, 'AAPL'), nextQuote(client, 'TSLA')]);
    const down = reaching(client, 'reconnecting');
    await host.stop();
    await down;
    assert.deepEqual([client.quote('AAPL').stale, client.quote('TSLA').stale], [true, true]);

    const fresh = Promise.all([nextQuote(client, 'AAPL'), nextQuote(client, 'TSLA')]);
    await host.start();
    await fresh;
    assert.deepEqual([client.quote('AAPL').stale, client.quote('TSLA').stale], [false, false]);
    assert.deepEqual(client.watched, ['AAPL', 'TSLA']);
  } finally {
    client.close();
  }
});

test('watchers leaving against a stricter server: the client paces under the budget its welcome announces, no RATE_LIMITED, every symbol let go', { timeout: 60000 }, async () => {
  // An operator may lower the server's budget (Quotes:CommandsPerSecond, Quotes:CommandBurst); the welcome announces it.
  // Before it did, the client sent 30 at once, the server took 10 and refused the rest (RATE_LIMITED, retried later).
  const strict = await liveHost({ Quotes__CommandsPerSecond: '5', Quotes__CommandBurst: '10' });
  const { RecordingWebSocket, received, next } = recordingSockets();
  const client = new QuotesClient({ url: strict.url, apiKey: CLIENT_KEY, WebSocket: RecordingWebSocket, ...QUICK });
  client.connect();
  try {
    await reaching(client, 'open');
    assert.deepEqual([client.welcome.commandsPerSecond, client.welcome.commandBurst], [5, 10]);
    const symbols = Array.from({ length: 40 }, (_, i) => `L${i}`);
    const unwatches = symbols.map(s => client.watch([s], () => {})); // one subscribe of the 40
    await next(m => m.type === 'subscribed');
    // 40 unsubscribes, one a tick: the client sends 7 at once, then 3.75 a second (three quarters of 10 and 5).
    for (const unwatch of unwatches) { unwatch(); await endOfTick(); }
    const free = next(m => m.type === 'unsubscribed' && m.count === 0).then(() => 'released');
    let timer;
    const late = new Promise(resolve => { timer = setTimeout(resolve, 30000, 'still held after 30 s'); });
    assert.equal(await Promise.race([free, late]), 'released', 'the connection holds nothing in the end');
    clearTimeout(timer);
    assert.deepEqual(received.filter(m => m.type === 'error').map(m => m.code), [], 'nothing refused');
    // The server's count agrees with the client's: all 50 symbols are free again.
    const fifty = await client.subscribe(Array.from({ length: 50 }, (_, i) => `F${i}`));
    assert.equal(fifty.count, 50);
  } finally {
    client.close();
    await strict.stop();
  }
});

test('a key the server refuses: an UNAUTHORIZED error, requests rejected, no more reconnects', { timeout: 20000 }, async () => {
  const client = new QuotesClient({ url: host.url, apiKey: 'not-a-key', WebSocket, ...QUICK });
  try {
    const refused = new Promise(resolve => client.on('error', resolve));
    client.connect();
    const request = client.subscribe(['AAPL']);
    const error = await refused;
    assert.deepEqual([error.code, error.message], ['UNAUTHORIZED', 'the API key is not valid']);
    await assert.rejects(request, e => e.code === 'UNAUTHORIZED');
    assert.equal(client.state, 'closed');
  } finally {
    client.close();
  }
});

test('140 subscribe() and unsubscribe() calls at once are paced under the server\'s budget: all answered, no RATE_LIMITED, no 1008', async () => {
  const { RecordingWebSocket, received, sent } = recordingSockets();
  const client = newClient(RecordingWebSocket);
  try {
    await reaching(client, 'open');
    const states = [];
    client.on('state', s => states.push([s.state, s.code]));
    const calls = [];
    for (let i = 0; i < 70; i++) {
      const symbols = [`L${i % 10}`];
      calls.push(client.subscribe(symbols), client.unsubscribe(symbols));
    }
    const outcomes = await Promise.allSettled(calls);
    assert.deepEqual(outcomes.filter(o => o.status === 'rejected').map(o => /** @type {any} */ (o).reason.code), []);
    assert.deepEqual(received.filter(m => m.type === 'error').map(m => m.code), [], 'the server refused none of them');
    assert.deepEqual(states, [], 'the connection stayed up (no 1008)');
    assert.equal(sent.filter(m => m.type === 'subscribe' || m.type === 'unsubscribe').length, 140);
    assert.deepEqual(client.symbols, [], 'each symbol let go after it was taken');
  } finally {
    client.close();
  }
});
