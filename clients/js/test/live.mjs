// What the host-backed tests share: the host they run against (AKKAQUOTES_HOST_DLL, set by Quotes.Host.Tests), a
// WebSocket that records what the server said, and waits on the client's own events rather than on time.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { freePort, startHost, stopHost } from '../../../tests/node/host.mjs';

export const CLIENT_KEY = 'test-client-key-0001';
const ADMIN_KEY = 'test-admin-key-0001';

/** One host for a test file, restartable on the same port; `settings` adds to its environment (`Section__Key`). */
export async function liveHost(settings = {}) {
  const dll = process.env.AKKAQUOTES_HOST_DLL;
  assert.ok(dll, 'set AKKAQUOTES_HOST_DLL to the built Quotes.Host.dll (JsClientSpecs does)');
  const port = await freePort();
  const env = { Auth__ApiKeys__0: CLIENT_KEY, Admin__ApiKey: ADMIN_KEY, Simulator__EventsPerSecond: '10', ...settings };
  const host = {
    base: `http://127.0.0.1:${port}`,
    url: `ws://127.0.0.1:${port}/ws`,
    process: await startHost(dll, port, env),
    async stop() { await stopHost(host.process); },
    async start() { host.process = await startHost(dll, port, env); },
    /** This node's row of /admin/cluster: clients, symbols its hub holds, subscriptions. */
    async node() {
      const response = await fetch(`${host.base}/admin/cluster`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
      assert.equal(response.status, 200);
      const { data } = await response.json();
      return data.nodes.find(n => n.address === data.self);
    },
  };
  return host;
}

/**
 * A real WebSocket (the `ws` package) that keeps every message the server sent, for checking the session's acks, and
 * every one the client sent.
 */
export function recordingSockets() {
  const received = [];
  const sent = [];
  const waiters = new Set();
  class RecordingWebSocket extends WebSocket {
    constructor(url) {
      super(url);
      this.addEventListener('message', event => {
        for (const message of JSON.parse(String(event.data))) {
          received.push(message);
          for (const waiter of [...waiters]) if (waiter.match(message)) { waiters.delete(waiter); waiter.resolve(message); }
        }
      });
    }

    /** @param {any} data @param {...any} rest */
    send(data, ...rest) {
      sent.push(JSON.parse(String(data)));
      super.send(data, ...rest);
    }
  }
  /** Resolves with the first message from now on that `match` accepts. */
  const next = match => new Promise(resolve => waiters.add({ match, resolve }));
  return { RecordingWebSocket, received, sent, next };
}

/** Resolves with the client's next quote of `symbol` (after the store took it) that `match` accepts. */
export function nextQuote(client, symbol, match = () => true) {
  return new Promise(resolve => {
    const off = client.on('quote', q => { if (q.symbol === symbol && match(q)) { off(); resolve(q); } });
  });
}

/** Resolves when the client reaches `state`. */
export function reaching(client, state) {
  return new Promise(resolve => {
    if (client.state === state) { resolve(); return; }
    const off = client.on('state', s => { if (s.state === state) { off(); resolve(); } });
  });
}

/** Fast reconnects, so a host restart costs the tests little time. */
export const QUICK = { minDelay: 100, maxDelay: 1000 };
