// Test doubles for the client's unit tests: a WebSocket the test plays the server of, and a clock it moves by hand.
import { QuotesClient } from '../src/quotes-client.js';

export class FakeClock {
  constructor() { this.time = 0; this.timers = new Map(); this.next = 1; this.lag = 0; }
  /** Timers fire `lag` ms late, as in a browser tab in the background (throttled to about one wake-up a minute). */
  setTimeout = (fn, ms) => { const id = this.next++; this.timers.set(id, { at: this.time + ms + this.lag, fn }); return id; };
  clearTimeout = id => { this.timers.delete(id); };
  now = () => this.time;
  /** Runs every timer due within `ms`, in time order. */
  advance(ms) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = end;
  }
  pending() { return [...this.timers.values()].map(t => t.at - this.time); }
}

export function fakeSockets() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url) { this.url = url; this.sent = []; this.closed = null; sockets.push(this); }
    send(text) { this.sent.push(JSON.parse(text)); }
    close(code, reason) { this.closed = { code, reason }; }
    // server side
    open() { this.onopen?.(); }
    deliver(...messages) { this.onmessage?.({ data: JSON.stringify(messages) }); }
    /** Opens and welcomes; `extra` adds to the welcome (e.g. the command budget: commandsPerSecond, commandBurst). */
    welcome(extra = {}) { this.open(); this.deliver({ type: 'welcome', protocol: 1, sessionId: 's', maxSymbols: 50, node: 'n', ...extra }); }
    drop(code = 1006, reason = '') { this.onclose?.({ code, reason }); }
    lastSent(type) { return this.sent.filter(m => m.type === type).at(-1); }
  }
  return { sockets, FakeWebSocket };
}

/**
 * The REST API the client asks whether its key is accepted: records each request and answers `answer` (a status and a
 * JSON body; 200 by default: the key is fine).
 */
export function fakeFetch(answer = { status: 200, body: { success: true, data: {} } }) {
  const requests = [];
  const fetch = async (url, init) => {
    requests.push({ url, headers: init?.headers ?? {} });
    return { status: answer.status, json: async () => answer.body };
  };
  return { fetch, requests };
}

export function newClient(extra = {}) {
  const clock = new FakeClock();
  const { sockets, FakeWebSocket } = fakeSockets();
  const { fetch, requests } = fakeFetch();
  const client = new QuotesClient({
    url: 'ws://example.test/ws', apiKey: 'k 1', WebSocket: FakeWebSocket, fetch, timers: clock, random: () => 0.5,
    minDelay: 500, maxDelay: 30000, pingInterval: 15000, pingTimeout: 10000, ...extra,
  });
  const states = [];
  client.on('state', s => states.push(s));
  return { client, clock, sockets, states, fetches: requests };
}

/** The server's answer to the last subscribe on `socket`: accepts every symbol. */
export function accept(socket) {
  const request = socket.lastSent('subscribe');
  socket.deliver({ type: 'subscribed', symbols: request.symbols, count: request.symbols.length, limit: 50, id: request.id });
}

/** Lets `ms` pass on an open connection that the server keeps alive (a message every 5 s: no ping, no drop). */
export function stayUp(clock, socket, ms) {
  for (let left = ms; left > 0; left -= 5000) {
    clock.advance(Math.min(5000, left));
    socket.deliver({ type: 'pong', time: clock.time });
  }
}

/** Lets the current tick end: the client sends the watches and unwatches made in it (one request of each kind). */
export const endOfTick = () => new Promise(resolve => setImmediate(resolve));
