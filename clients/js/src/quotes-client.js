// AkkaQuotes browser/Node client: one WebSocket, automatic reconnect, subscriptions kept across reconnects, a store of
// the latest quote per symbol and subscriptions shared by reference count (watch).
// Dependency-free ES module. Protocol: docs/PROTOCOL.md. Usage: README, "The browser client".
//
//   import { QuotesClient } from '/js/quotes-client.js';
//   const client = new QuotesClient({ url: 'ws://localhost:5000/ws', apiKey: 'KEY' });
//   client.connect();
//   const unwatch = client.watch(['AAPL', 'TSLA'], q => console.log(q?.symbol, q?.price, q?.stale));
import { QuotesError } from './quotes-error.js';
import { QuoteStore } from './quote-store.js';
import { MAX_SYMBOLS, normalizeSymbols, checkNotEmpty, checkSymbols, checkLimit } from './symbol-rules.js';

export { QuotesError, MAX_SYMBOLS };
/** @typedef {import('./quote-store.js').Quote} Quote */
/** @typedef {import('./quote-store.js').QuoteMessage} QuoteMessage */
/** @typedef {import('./quote-store.js').QuoteListener} QuoteListener */
/**
 * @typedef {object} WelcomeMessage  the server's first message on every connection (docs/PROTOCOL.md)
 * @property {'welcome'} type
 * @property {number} protocol    the protocol version (1)
 * @property {string} sessionId
 * @property {number} maxSymbols  the symbols one connection may hold (50, or the server's lower bound)
 * @property {string} node
 * @property {number} [commandsPerSecond]  the connection's command budget: commands a second past the burst (20 by
 *   default; may be fractional). Added compatibly: an older server does not send it
 * @property {number} [commandBurst]  the commands the connection may send at once (40 by default). Added compatibly
 */
/**
 * @typedef {object} StatusMessage  the feed and the market, after welcome and on every change; an unknown value may come
 *   (more may be added compatibly): treat any `upstream` but `connected` as "prices may be behind"
 * @property {'status'} type
 * @property {'connecting'|'connected'|'reconnecting'|'stale'|'unauthorized'|'down'|(string & {})} upstream
 * @property {'open'|'closed'|'extended-hours'|(string & {})} market
 * @property {'simulator'|'realtime'|'delayed'|(string & {})} [feed]  `simulator`: the prices are simulated
 */
/**
 * @typedef {object} SubscribedMessage  the server's answer to a subscribe
 * @property {'subscribed'} type
 * @property {string[]} symbols  the request's symbols, normalised
 * @property {number} count      the symbols the connection holds now
 * @property {number} [limit]    the symbols it may hold
 * @property {string} [id]
 */
/**
 * @typedef {object} UnsubscribedMessage  the server's answer to an unsubscribe
 * @property {'unsubscribed'} type
 * @property {string[]} symbols
 * @property {number} count
 * @property {string} [id]
 */
/**
 * @typedef {object} StateChange  the `state` event
 * @property {ConnectionState} state
 * @property {number} [code]    the close code of the connection that ended, when there was one
 * @property {string} [reason]  why it ended (the close reason, or the client's own words)
 * @property {number} [delay]   with `reconnecting`: ms until the next attempt
 */
/**
 * @typedef {object} QuotesEvents  what the listeners of each event get
 * @property {QuoteMessage} quote  a quote of a symbol the client holds or watches
 * @property {StatusMessage} status
 * @property {WelcomeMessage} welcome
 * @property {StateChange} state
 * @property {QuotesError} error  a server error not tied to a request, a held symbol refused, held symbols let go past a
 *   new connection's lower maxSymbols (SYMBOL_LIMIT, naming them), or the key refused (UNAUTHORIZED)
 */
/**
 * @typedef {object} QuotesClientOptions
 * @property {string} url                 ws:// or wss:// URL of /ws
 * @property {string} [apiKey]            client key, sent as ?apiKey= (browsers cannot set WebSocket headers)
 * @property {number} [minDelay=500]      first reconnect delay, ms; the delays double from it, and start again from it
 *   once a connection has stayed up 30 s after welcome
 * @property {number} [maxDelay=30000]    largest reconnect delay, ms
 * @property {number} [pingInterval=15000] application ping period, ms
 * @property {number} [pingTimeout=10000] a ping answered by no message at all within this time: the link is dead, reconnect
 * @property {number} [requestTimeout=10000] a subscribe/unsubscribe not answered in this time from the call is rejected
 *   (TIMEOUT), and not sent if it was not yet: still waiting for a connection, or its turn under the command budget
 * @property {number} [connectTimeout=10000] a connection attempt without the server's welcome in this time (an upgrade
 *   nobody answers, e.g. behind a load balancer that accepts TCP only) is closed and made again after the backoff
 * @property {any} [WebSocket]            the WebSocket constructor (default: the global one; Node 20 has none: pass the `ws`
 *   package's)
 * @property {(url: string, init: {headers: Record<string, string>}) => Promise<{status: number, json: () => Promise<any>}>} [fetch]
 *   for asking the REST API whether the key is accepted after an attempt that never opened (default: the global fetch)
 * @property {{setTimeout: (f: () => void, ms: number) => any, clearTimeout: (t: any) => void, now: () => number}} [timers]
 *   (tests) `now` is a monotonic clock in ms (default performance.now()): intervals must not jump with the wall clock
 * @property {() => number} [random]      jitter source in [0,1) (tests)
 */
/** @typedef {'idle'|'connecting'|'open'|'reconnecting'|'closed'} ConnectionState */
/**
 * @typedef {object} Pending  a request waiting for its answer
 * @property {{type: string, symbols: string[], id: string}} message
 * @property {(reply: any) => void} resolve
 * @property {(error: QuotesError) => void} reject
 * @property {any} timer
 * @property {boolean} sent
 * @property {boolean} [queued]  waiting in the outbox for the connection's command budget (see SEND_RATE)
 * @property {boolean} [restorable]  made from what is held: dropped with its socket, the next welcome restores it
 * @property {Set<string>} withdrawn  symbols of a subscribe() that an unsubscribe() made since has let go: not held on its reply
 */

/** Close codes after which reconnecting right away is the right thing (the server asked us to go elsewhere). */
const GOING_AWAY = 1001;
const NORMAL = 1000;

/**
 * Refusals of a held symbols' subscribe, or of an unsubscribe of symbols let go, that the same request can get past
 * later: the server could not check its symbol budget for a few seconds (its upstream moving between nodes), the key's
 * new symbols per minute are spent for now (many connections coming back together), the server failed, the connection
 * was rate-limited, or no answer came in time. SYMBOL_LIMIT, INVALID_SYMBOL and the like would be refused again: those
 * are surfaced only.
 */
const RETRYABLE = new Set(['CAPACITY', 'INTERNAL', 'RATE_LIMITED', 'TIMEOUT']);
/**
 * How long a connection must stay up after welcome for the reconnect backoff to start again from minDelay. A server
 * that closes right after welcome (1008 slow consumer or too many requests, 1011) would otherwise bring every client
 * back within half a second, forever; 30 s is past the first steps of the backoff and well below any healthy session.
 */
const STABLE_AFTER = 30000;
/** First step of the backoff of such retries, ms (the first comes 1-2 s later; capped at maxDelay). */
const RETRY_MIN_DELAY = 2000;
/**
 * The client's own command budget per connection: a burst of commands at once, then a rate a second. The server
 * refuses more than its budget (docs/PROTOCOL.md, RATE_LIMITED; 20 a second, bursts of 40 unless configured otherwise,
 * announced in welcome as commandsPerSecond and commandBurst), and closes with 1008 a connection that goes on past
 * that; it counts the commands as they reach it, so frames bunched up on the way (a busy network, a tab's paused
 * timers catching up) would spend its budget faster than they were sent. A quarter below both keeps them inside it:
 * SEND_SHARE of the announced rate, and of the announced burst rounded down (at least 1). SEND_RATE and SEND_BURST,
 * a quarter below the server's defaults, are the budget against a server that announces none (an older one), and
 * before the welcome. Commands past the budget (subscribe, unsubscribe, ping alike) wait their turn, in order.
 */
const SEND_RATE = 15;
const SEND_BURST = 30;
const SEND_SHARE = 0.75;
/** The outbox's marker for the keep-alive ping, which has no Pending entry. */
const PING = Symbol('ping');

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from `min`, capped at `max`, with "equal jitter":
 * a random point in [half, full] of the step, so a thousand clients cut off together do not return together.
 */
/** @param {number} attempt @param {{min?: number, max?: number, random?: () => number}} [options] @returns {number} */
export function reconnectDelay(attempt, { min = 500, max = 30000, random = Math.random } = {}) {
  const step = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + random() * (step / 2));
}

/** `list` in pieces of at most `size` (at least 1). @param {string[]} list @param {number} size @returns {string[][]} */
function chunks(list, size) {
  const parts = [];
  for (let i = 0; i < list.length; i += Math.max(1, size)) parts.push(list.slice(i, i + Math.max(1, size)));
  return parts;
}

export class QuotesClient {
  /** @param {QuotesClientOptions} options */
  constructor(options) {
    if (!options?.url) throw new TypeError('QuotesClient: url is required');
    this._url = options.url;
    this._apiKey = options.apiKey;
    this._minDelay = options.minDelay ?? 500;
    this._maxDelay = options.maxDelay ?? 30000;
    this._pingInterval = options.pingInterval ?? 15000;
    this._pingTimeout = options.pingTimeout ?? 10000;
    this._requestTimeout = options.requestTimeout ?? 10000;
    this._connectTimeout = options.connectTimeout ?? 10000;
    this._WebSocket = options.WebSocket ?? globalThis.WebSocket;
    // Without one every attempt would fail the same way, retried forever: say so now.
    if (typeof this._WebSocket !== 'function') {
      throw new TypeError('QuotesClient: no WebSocket here (Node 20 has none): pass options.WebSocket, e.g. the ws package\'s');
    }
    this._fetch = options.fetch ?? (globalThis.fetch ? (url, init) => globalThis.fetch(url, init) : null);
    this._timers = options.timers ?? { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: t => clearTimeout(t), now: () => performance.now() };
    this._random = options.random ?? Math.random;

    /** @type {Set<string>} subscribe()d and confirmed by the server; re-subscribed after every reconnect */
    this._symbols = new Set();
    /** @type {Map<string, number>} watchers per symbol (watch); held while above zero, re-subscribed after every reconnect */
    this._watchers = new Map();
    /** @type {Map<string, Pending>} */
    this._pending = new Map();
    /** @type {Map<string, Set<Function>>} */
    this._listeners = new Map();
    this._store = new QuoteStore();
    this._nextId = 1;
    this._attempt = 0;
    this._goingAway = 0; // 1001s since the last connection that stayed up (see _scheduleReconnect)
    /** @type {number|null} when the current connection's welcome came (timers.now()); null before it */
    this._welcomedAt = null;
    this._socket = null;
    this._socketOpened = false; // the current socket's upgrade went through (its open event came)
    this._checkingKey = false;
    /** @type {QuotesError|null} why the client stopped for good (close(): CLOSED; the key refused: UNAUTHORIZED); null while it runs */
    this._ended = null;
    /** @type {Set<string>} ids of requests sent on this connection that timed out: their late answers are not the caller's */
    this._expired = new Set();
    /** @type {ConnectionState} */
    this._state = 'idle';
    this._stopped = true;
    this._reconnectTimer = null;
    this._connectTimer = null;
    this._pingTimer = null;
    this._lastMessageAt = 0;
    /** @type {number|null} when the ping now waiting for an answer went out (timers.now()); null when none does */
    this._pingSentAt = null;
    /**
     * Symbols whose subscribe (held ones) or unsubscribe (let go ones) the server refused for now: sent again when
     * _retryTimer fires, those still held, or still let go, then.
     * @type {{subscribe: Set<string>, unsubscribe: Set<string>}}
     */
    this._retrying = { subscribe: new Set(), unsubscribe: new Set() };
    this._retryTimer = null;
    this._retryAttempt = 0;
    /**
     * Holds (a symbol's first watcher came) and releases (its last one left) made in this tick, sent together at its
     * end (_flushWatches): a page mounting a list of rows, or React's StrictMode mounting, unmounting and mounting them
     * again, makes one request rather than one per row and per step, and a symbol let go and taken again sends nothing.
     * @type {{hold: Set<string>, release: Set<string>, scheduled: boolean}}
     */
    this._churn = { hold: new Set(), release: new Set(), scheduled: false };
    /** @type {Array<Pending|typeof PING>} commands waiting for the connection's command budget, in order (SEND_RATE) */
    this._outbox = [];
    /** the connection's command budget: _sendRate commands a second, up to _sendBurst at once (see _applyBudget) */
    this._sendRate = SEND_RATE;
    this._sendBurst = SEND_BURST;
    /** commands the budget allows as of _tokensAt (timers.now()); it refills by _sendRate a second, up to _sendBurst */
    this._tokens = SEND_BURST;
    this._tokensAt = 0;
    this._sendTimer = null;
    /** @type {WelcomeMessage|null} the current connection's welcome (the last one's while disconnected) */
    this.welcome = null;
    /** @type {StatusMessage|null} the latest status */
    this.status = null;
  }

  /** @returns {ConnectionState} */
  get state() { return this._state; }

  /**
   * The symbols subscribe() added and the server confirmed, kept across reconnects: each new connection subscribes them
   * again, and again after a delay while the server refuses that for now (CAPACITY, …; each refusal is an 'error' event).
   * A new connection whose welcome announces fewer maxSymbols than are held lets the last ones go (see _fit).
   */
  get symbols() { return [...this._symbols]; }

  /** The symbols someone watches (kept across reconnects). */
  get watched() { return [...this._watchers.keys()]; }

  /**
   * The latest quote of a held symbol, with `stale: true` from a lost connection until the symbol's next quote; null
   * before the first. The same object until it changes (fit for React's useSyncExternalStore).
   * @param {string} symbol @returns {Quote|null}
   */
  quote(symbol) { return this._store.quote(String(symbol).trim().toUpperCase()); }

  /**
   * Why a held symbol (watched or subscribe()d) is not held on the server now: the server refused to subscribe it
   * again (CAPACITY, …), a watched one did not fit under a new connection's lower maxSymbols (SYMBOL_LIMIT), or the key
   * was refused (UNAUTHORIZED); null once it is, or otherwise.
   * @param {string} symbol @returns {QuotesError|null}
   */
  subscriptionError(symbol) { return this._store.error(String(symbol).trim().toUpperCase()); }

  /**
   * Watches symbols: `listener(quote, symbol)` runs after every change of one of them (a quote, the stale mark, an
   * error). Watchers share subscriptions: the server is asked to subscribe a symbol when its first watcher comes and
   * to unsubscribe it when its last one leaves (unless subscribe() holds it too), in one request of each kind for all
   * the watches and unwatches of a tick, at its end; a symbol let go and watched again within it is not asked about.
   * Throws a QuotesError, holding nothing, when a symbol is invalid (INVALID_SYMBOL) or the connection would pass its 50
   * symbols (SYMBOL_LIMIT), the server's own codes and messages.
   * @param {Iterable<string>} symbols @param {QuoteListener} listener
   * @returns {() => void} unwatch (idempotent)
   */
  watch(symbols, listener) {
    const list = normalizeSymbols(symbols);
    checkSymbols(list);
    const claimed = this._claimed();
    checkLimit(claimed.size, list.filter(s => !claimed.has(s)).length, this._maxSymbols());
    const removers = list.map(s => this._store.listen(s, listener));
    const first = [];
    for (const s of list) {
      const count = (this._watchers.get(s) ?? 0) + 1;
      this._watchers.set(s, count);
      if (count === 1 && !this._symbols.has(s)) first.push(s);
    }
    if (first.length > 0) this._watchStarted(first);
    // A client stopped by a refused key never holds them: say why where a watcher looks (useMarketData's error).
    if (this._ended?.code === 'UNAUTHORIZED') this._store.fail(list, this._ended);
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      for (const remove of removers) remove();
      const released = [];
      for (const s of list) {
        const count = (this._watchers.get(s) ?? 1) - 1;
        if (count > 0) { this._watchers.set(s, count); continue; }
        this._watchers.delete(s);
        if (this._symbols.has(s)) continue;
        released.push(s);
      }
      if (released.length > 0) this._watchEnded(released);
    };
  }

  /**
   * Symbols whose first watcher came (subscribe() not holding them): subscribed at the end of the tick, unless they
   * were let go in it: then the server still holds them, or is still asked to, and there is nothing to ask. One whose
   * subscribe the server refused (its error is in the store) is asked for again, as any new watch of it would be.
   * @param {string[]} symbols
   */
  _watchStarted(symbols) {
    for (const s of symbols) {
      if (this._churn.release.delete(s) && !this._store.error(s)) continue;
      this._churn.hold.add(s);
    }
    this._scheduleFlush();
  }

  /**
   * Symbols whose last watcher left (subscribe() not holding them): unsubscribed at the end of the tick, unless they are
   * watched again by then. One first watched in this same tick was never asked for: nothing to undo.
   * @param {string[]} symbols
   */
  _watchEnded(symbols) {
    for (const s of symbols) {
      if (this._churn.hold.delete(s)) this._store.forget(s); // what the store has of it is this tick's (an error)
      else this._churn.release.add(s);
    }
    this._scheduleFlush();
  }

  _scheduleFlush() {
    if (this._churn.scheduled) return;
    this._churn.scheduled = true;
    queueMicrotask(() => this._flushWatches());
  }

  /**
   * The end of the tick: one unsubscribe of the symbols let go that nobody holds, watches or asks for now (first, so
   * the server has their places back before the subscribe), then one subscribe of those watched and not held
   * otherwise; each split only past the connection's symbol count. A quote kept of a symbol let go is dropped only now:
   * one watched again keeps it (no subscribe goes out, so no fresh snapshot would come). While disconnected nothing is
   * sent: the next welcome subscribes what is held then, and only that.
   */
  _flushWatches() {
    const { hold, release } = this._churn;
    this._churn.scheduled = false;
    const claimed = this._claimed();
    const released = [...release].filter(s => !claimed.has(s));
    const held = [...hold].filter(s => this._watchers.has(s) && !this._symbols.has(s));
    hold.clear();
    release.clear();
    for (const s of released) this._store.forget(s);
    if (this._state !== 'open') return;
    const max = this._maxSymbols();
    for (const part of chunks(released, max)) this._release(part);
    for (const part of chunks(held, max)) this._hold(part);
  }

  /**
   * Listens to an event: 'quote' (a quote of a symbol the client holds or watches), 'status' (status message),
   * 'welcome' (welcome message), 'state' ({state, code?, reason?, delay?}), 'error' (a QuotesError: a server error not
   * tied to a request, a held symbol refused, or UNAUTHORIZED when the server refused the key).
   * Returns a function that removes the listener.
   * @template {keyof QuotesEvents} E
   * @param {E} event @param {(value: QuotesEvents[E]) => void} listener @returns {() => void}
   */
  on(event, listener) {
    let set = this._listeners.get(event);
    if (!set) this._listeners.set(event, set = new Set());
    set.add(listener);
    return () => { set.delete(listener); };
  }

  connect() {
    this._stopped = false;
    this._ended = null;
    if (this._socket || this._reconnectTimer) return;
    this._open();
  }

  /** Closes for good: no reconnect. Pending requests are rejected, and so is any request made after it, with CLOSED. */
  close() {
    this._stop(new QuotesError('CLOSED', 'the client was closed'));
    if (this._state !== 'closed') this._setState('closed'); // stopped already (a refused key): no second `closed`
  }

  /** Stops for good (until connect()): no socket, no timer; pending requests and later ones are rejected with `error`. */
  _stop(error) {
    this._stopped = true;
    this._ended = error;
    this._clearTimer('_reconnectTimer');
    this._clearTimer('_connectTimer');
    this._clearTimer('_pingTimer');
    this._cancelRetries();
    this._dropOutbox();
    const socket = this._socket;
    this._socket = null;
    if (socket) {
      this._detach(socket);
      try { socket.close(NORMAL, 'client closed'); } catch { /* already closed */ }
    }
    this._rejectAll(error);
    this._store.markStale();
    this._attempt = 0; // a later connect() starts afresh
    this._goingAway = 0;
    this._welcomedAt = null;
  }

  /**
   * Adds symbols. Resolves with the server's `subscribed` reply once they are held; rejects with a QuotesError
   * (SYMBOL_LIMIT, INVALID_SYMBOL, …) and then nothing from the request is held. Sent when the connection is open, in
   * its turn: past a burst of commands the client sends a few a second, a quarter under the RATE_LIMITED budget the
   * server's welcome announces (30 at once, then 15 a second, with a server that announces none).
   * No symbols at all is refused at once with the server's own BAD_JSON, as is any request after close() (CLOSED).
   * @param {Iterable<string>} symbols @returns {Promise<SubscribedMessage>}
   */
  subscribe(symbols) {
    const list = normalizeSymbols(symbols);
    try {
      checkNotEmpty(list);
      checkSymbols(list);
      const claimed = this._claimed();
      checkLimit(claimed.size, list.filter(s => !claimed.has(s)).length, this._maxSymbols());
    } catch (error) {
      return Promise.reject(error);
    }
    return this._request('subscribe', list, {
      onReply: (reply, entry) => { for (const s of reply.symbols ?? []) if (!entry.withdrawn.has(s)) this._symbols.add(s); },
    });
  }

  /**
   * Removes symbols; they are forgotten at once, so neither a reconnect in between nor the answer to an earlier
   * subscribe() still on its way brings them back (the later call wins). A symbol that
   * watch() still holds stays subscribed on the server until its last watcher leaves. A refusal for now (RATE_LIMITED,
   * TIMEOUT, …) rejects the promise, and the client asks again after a delay until the server lets the symbols go.
   * No symbols at all is refused at once with the server's own BAD_JSON.
   * @param {Iterable<string>} symbols @returns {Promise<UnsubscribedMessage>}
   */
  unsubscribe(symbols) {
    const list = normalizeSymbols(symbols);
    try {
      checkNotEmpty(list);
    } catch (error) {
      return Promise.reject(error);
    }
    for (const s of list) this._symbols.delete(s);
    // A subscribe() not yet answered is answered before this unsubscribe (the server keeps their order): its reply
    // must not hold again what this lets go.
    for (const entry of this._pending.values()) {
      if (entry.message.type === 'subscribe' && !entry.restorable) for (const s of list) entry.withdrawn.add(s);
    }
    const released = list.filter(s => !this._watchers.has(s));
    for (const s of released) this._store.forget(s);
    return this._request('unsubscribe', released, {
      onError: error => { if (RETRYABLE.has(error.code)) this._retry('unsubscribe', released); },
    });
  }

  /** Every symbol the connection holds or has asked for: subscribe()d, watched, or in a subscribe() still unanswered. */
  _claimed() {
    const claimed = new Set([...this._symbols, ...this._watchers.keys()]);
    for (const entry of this._pending.values()) {
      if (entry.message.type !== 'subscribe' || entry.restorable) continue;
      for (const s of entry.message.symbols) if (!entry.withdrawn.has(s)) claimed.add(s);
    }
    return claimed;
  }

  /**
   * Subscribes symbols that are held (watched, subscribe()d, or restored on welcome); a refusal marks those still held
   * in the store (subscriptionError). One that may pass later (RETRYABLE) is tried again with backoff while the symbols
   * are held: nothing else would ask for them before the next reconnect, which may be days away, and until then their
   * quotes stay stale.
   */
  _hold(symbols) {
    this._request('subscribe', symbols, {
      restorable: true,
      onReply: () => {
        this._store.clearErrors(symbols);
        if (!this._retryTimer) this._retryAttempt = 0;
      },
      onError: error => {
        if (this._stopped) return; // closed, or the key refused: nothing to retry, and close() said so already
        this._store.fail(symbols.filter(s => this._symbols.has(s) || this._watchers.has(s)), error);
        this._emit('error', error);
        if (RETRYABLE.has(error.code)) this._retry('subscribe', symbols);
      },
    }).catch(() => {});
  }

  /**
   * Unsubscribes symbols nobody holds any more. A refusal for now (RATE_LIMITED past the server's command budget,
   * TIMEOUT, …) is tried again with the holds' backoff until the server lets them go: each one left behind would keep
   * streaming and count toward the connection's 50 symbols, for as long as the connection lasts.
   */
  _release(symbols) {
    this._request('unsubscribe', symbols, {
      restorable: true,
      onReply: () => { if (!this._retryTimer) this._retryAttempt = 0; },
      onError: error => { if (!this._stopped && RETRYABLE.has(error.code)) this._retry('unsubscribe', symbols); },
    }).catch(() => {});
  }

  /**
   * Asks again for refused symbols after a growing delay, in one request of each kind: a subscribe of those still held
   * then, an unsubscribe of those still let go then (a symbol wanted again meanwhile is not released).
   * @param {'subscribe'|'unsubscribe'} type @param {string[]} symbols
   */
  _retry(type, symbols) {
    for (const s of symbols) this._retrying[type].add(s);
    if (this._retryTimer) return;
    const delay = reconnectDelay(this._retryAttempt++, { min: RETRY_MIN_DELAY, max: this._maxDelay, random: this._random });
    this._retryTimer = this._timers.setTimeout(() => {
      this._retryTimer = null;
      const claimed = this._claimed();
      const held = [...this._retrying.subscribe].filter(s => this._symbols.has(s) || this._watchers.has(s));
      const released = [...this._retrying.unsubscribe].filter(s => !claimed.has(s));
      this._retrying.subscribe.clear();
      this._retrying.unsubscribe.clear();
      if (this._state !== 'open') return;
      if (held.length > 0) this._hold(held);
      if (released.length > 0) this._release(released);
    }, delay);
  }

  /**
   * The connection is gone: the next welcome subscribes everything held, and the next connection holds nothing else,
   * so the retries waiting are dropped.
   */
  _cancelRetries() {
    this._clearTimer('_retryTimer');
    this._retrying.subscribe.clear();
    this._retrying.unsubscribe.clear();
    this._retryAttempt = 0;
  }

  /**
   * Sends a request when the connection is open (at once, or after the next welcome). `onReply` and `onError` run as
   * the answer is read, before the rest of its frame (a `subscribed` comes before the snapshot quotes). Not answered
   * within requestTimeout of the call, sent or not (the server may be unreachable for good), it is rejected with TIMEOUT.
   * @param {'subscribe'|'unsubscribe'} type @param {string[]} list normalised, without repeats
   * @param {{restorable?: boolean, onReply?: (reply: any, entry: Pending) => void, onError?: (error: QuotesError) => void}} [options]
   */
  _request(type, list, { restorable = false, onReply, onError } = {}) {
    // After close() (or the key refused) no connection will ever carry it.
    if (this._ended) return Promise.reject(new QuotesError(this._ended.code, this._ended.message));
    // Only an unsubscribe of symbols that watchers all keep: nothing to ask the server.
    if (list.length === 0) return Promise.resolve({ type: type === 'subscribe' ? 'subscribed' : 'unsubscribed', symbols: [], count: this._symbols.size });
    const id = `${restorable ? 'r' : 'c'}${this._nextId++}`;
    const message = { type, symbols: list, id };
    return new Promise((resolve, reject) => {
      /** @type {Pending} */
      const entry = {
        message,
        resolve: reply => { onReply?.(reply, entry); resolve(reply); },
        reject: error => { onError?.(error); reject(error); },
        timer: this._timers.setTimeout(() => this._expire(entry), this._requestTimeout),
        sent: false,
        restorable,
        withdrawn: new Set(),
      };
      this._pending.set(id, entry);
      if (this._state === 'open') this._send(entry);
    });
  }

  /** Sends a request on the open connection: at once if its command budget allows, else in its turn (_drain). */
  _send(entry) {
    entry.queued = true;
    this._outbox.push(entry);
    this._drain();
  }

  /**
   * Sends what waits in the outbox, in order, while the command budget allows; when it does not, wakes up again as soon
   * as it will. A timer that fires late (a hidden tab's) finds the budget refilled and catches up, up to the burst.
   */
  _drain() {
    while (this._outbox.length > 0 && this._socket) {
      const wait = this._takeToken();
      if (wait > 0) {
        this._sendTimer ??= this._timers.setTimeout(() => { this._sendTimer = null; this._drain(); }, wait);
        return;
      }
      this._transmit(/** @type {Pending|typeof PING} */ (this._outbox.shift()));
    }
  }

  /** Takes one command from the budget: 0 when it could, else the ms until it can. @returns {number} */
  _takeToken() {
    this._refill();
    // Floating point (15 a second is 66.67 ms a command) must not keep a token that is due waiting a millisecond more.
    if (this._tokens < 1 - 1e-9) return Math.max(1, Math.ceil((1 - this._tokens) * 1000 / this._sendRate - 1e-6));
    this._tokens = Math.max(0, this._tokens - 1);
    return 0;
  }

  /** Brings the budget's tokens up to now, at the connection's rate, up to its burst. */
  _refill() {
    const now = this._timers.now();
    this._tokens = Math.min(this._sendBurst, this._tokens + (now - this._tokensAt) * this._sendRate / 1000);
    this._tokensAt = now;
  }

  /**
   * The budget the welcome announces (commandsPerSecond, commandBurst): a quarter below each, as SEND_RATE and
   * SEND_BURST are below the server's defaults. A field that is missing (an older server) or not a finite number
   * above 0 is ignored: that part of the budget stays at its default. A larger burst adds its difference to the tokens
   * (the server counts a new connection from its full burst); a smaller one caps them.
   * @param {WelcomeMessage|null} welcome
   */
  _applyBudget(welcome) {
    const announced = value => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null);
    const rate = announced(welcome?.commandsPerSecond);
    const burst = announced(welcome?.commandBurst);
    this._refill();
    const previous = this._sendBurst;
    this._sendRate = rate === null ? SEND_RATE : rate * SEND_SHARE;
    this._sendBurst = burst === null ? SEND_BURST : Math.max(1, Math.floor(burst * SEND_SHARE));
    this._tokens = Math.max(0, Math.min(this._sendBurst, this._tokens + Math.max(0, this._sendBurst - previous)));
  }

  /** @param {Pending|typeof PING} item */
  _transmit(item) {
    if (item === PING) {
      try { this._socket.send(JSON.stringify({ type: 'ping' })); } catch { /* the close event follows */ }
      return;
    }
    item.queued = false;
    item.sent = true;
    this._socket.send(JSON.stringify(item.message));
  }

  /** Takes a request that will not be sent after all (it timed out) out of the outbox: it spends no budget. */
  _unqueue(entry) {
    if (!entry.queued) return;
    entry.queued = false;
    const at = this._outbox.indexOf(entry);
    if (at >= 0) this._outbox.splice(at, 1);
  }

  /**
   * The socket is gone: nothing waits for it any more. Its requests stay pending, unsent, for the next welcome to send
   * (those made from the held symbols are dropped by _onClose: the welcome makes them afresh); a ping is moot.
   */
  _dropOutbox() {
    this._clearTimer('_sendTimer');
    for (const item of this._outbox) if (item !== PING) item.queued = false;
    this._outbox = [];
  }

  /**
   * requestTimeout has passed since the call: rejected with TIMEOUT, and never sent if it was not yet (still waiting for
   * a connection, or its turn under the command budget); an answer that still comes is handled by _late.
   */
  _expire(entry) {
    const { id, type } = entry.message;
    if (this._pending.get(id) !== entry) return;
    this._pending.delete(id);
    if (entry.sent) this._expired.add(id);
    const waited = `${type} not sent in ${this._requestTimeout} ms`;
    const reason = entry.sent ? `no answer to ${type} in ${this._requestTimeout} ms`
      : entry.queued ? `${waited}: still waiting its turn under the connection's command budget`
        : `${waited}: no connection to the server`;
    this._unqueue(entry);
    entry.reject(new QuotesError('TIMEOUT', reason));
  }

  /**
   * An answer to a request that timed out. Its caller has been told TIMEOUT (and holds nothing from it), so a late
   * `subscribed` must not leave the server holding symbols nobody here holds: they would stream and count toward the
   * limit, never released nor restored. Let go of those not held, watched or asked for by now; the rest of a late
   * answer (an error the caller will not see) is dropped.
   */
  _late(message) {
    if (message.id === undefined || message.id === null || !this._expired.delete(String(message.id))) return false;
    if (message.type === 'subscribed') {
      const claimed = this._claimed();
      const unheld = (message.symbols ?? []).filter(s => !claimed.has(s));
      if (unheld.length > 0 && this._state === 'open') this._release(unheld);
    }
    return true;
  }

  _open() {
    // A reconnect was announced already ('reconnecting', with its delay and the close code): once is enough.
    if (this._state !== 'reconnecting') this._setState('connecting');
    const url = new URL(this._url);
    if (this._apiKey) url.searchParams.set('apiKey', this._apiKey);
    let socket;
    try {
      socket = new this._WebSocket(url.toString());
    } catch (error) {
      this._scheduleReconnect(undefined, String(/** @type {any} */ (error)?.message ?? error));
      return;
    }
    this._socket = socket;
    this._socketOpened = false;
    // Neither the browser nor the server ends an upgrade that hangs (a balancer that accepts TCP and answers nothing):
    // without this the client would stay 'reconnecting' for good.
    this._connectTimer = this._timers.setTimeout(() => this._onConnectTimeout(socket), this._connectTimeout);
    socket.onopen = () => this._onOpen(socket);
    socket.onmessage = event => this._onMessage(socket, event.data);
    socket.onclose = event => this._onClose(socket, event.code, event.reason);
    socket.onerror = () => { /* a close event always follows */ };
  }

  /** No welcome in connectTimeout: give the attempt up, as if it had failed. */
  _onConnectTimeout(socket) {
    this._connectTimer = null;
    if (socket !== this._socket) return;
    this._onClose(socket, undefined, `no welcome within ${this._connectTimeout} ms`);
    try { socket.close(); } catch { /* ignore */ }
  }

  _onOpen(socket) {
    if (socket !== this._socket) return;
    this._socketOpened = true;
    // A new connection: the server counts its commands afresh, from a full burst. Its welcome says how large (until
    // then, and from a server that does not say, the defaults).
    this._sendRate = SEND_RATE;
    this._sendBurst = SEND_BURST;
    this._tokens = SEND_BURST;
    this._tokensAt = this._timers.now();
    this._heard();
    this._schedulePing();
  }

  _onMessage(socket, data) {
    if (socket !== this._socket) return;
    this._heard();
    let messages;
    try {
      messages = JSON.parse(data);
    } catch {
      return;
    }
    for (const message of Array.isArray(messages) ? messages : [messages]) this._dispatch(message);
  }

  _dispatch(message) {
    switch (message?.type) {
      case 'welcome':
        this.welcome = message;
        this._onWelcome();
        this._emit('welcome', message);
        break;
      case 'status':
        this.status = message;
        this._emit('status', message);
        break;
      case 'quote':
        // Only symbols held here: not those let go (their quotes still on the way) nor a late reply's (see _late).
        if (!this._symbols.has(message.symbol) && !this._watchers.has(message.symbol)) break;
        this._store.put(message);
        this._emit('quote', message);
        break;
      case 'subscribed':
      case 'unsubscribed':
      case 'pong':
        if (!this._settle(message.id, entry => entry.resolve(message))) this._late(message);
        break;
      case 'error': {
        const error = new QuotesError(message.code, message.message, message.symbols);
        if (!this._settle(message.id, entry => entry.reject(error)) && !this._late(message)) this._emit('error', error);
        break;
      }
      default:
        break;
    }
  }

  /**
   * The session is up: take the command budget it announces, then re-subscribe everything held (subscribed or
   * watched) that the connection may hold (_fit), then send the requests that waited, all under that budget.
   */
  _onWelcome() {
    this._clearTimer('_connectTimer');
    this._applyBudget(this.welcome);
    this._welcomedAt = this._timers.now();
    const waiting = [...this._pending.values()].filter(entry => !entry.sent && !entry.queued);
    this._setState('open');
    const { held, refusal } = this._fit([...new Set([...this._symbols, ...this._watchers.keys()])]);
    if (held.length > 0) this._hold(held);
    // Watched in this tick (a 'state' listener): held, so subscribed just now; the tick's end need not ask again.
    this._churn.hold.clear();
    for (const entry of waiting) if (!entry.sent && !entry.queued) this._send(entry);
    if (refusal) this._emit('error', refusal);
  }

  /**
   * The held symbols a new connection can take. A server that holds fewer symbols per connection than are held (its
   * welcome's maxSymbols, lowered by its operator) would refuse their whole subscribe with SYMBOL_LIMIT and hold none:
   * the first that fit are kept, watched ones first (a watcher shows them), then subscribe()d ones, each in symbol
   * order, and the rest let go. A subscribe()d one is no longer held (gone from `symbols`, its quote dropped). A watched
   * one stays watched (its watchers hold it, not the client) and not held on the server: SYMBOL_LIMIT is its
   * subscriptionError, as for any watched symbol refused for good, until the next connection asks for it again. The
   * returned refusal (an 'error' event) names them all; nothing asks for them again on this connection.
   * @param {string[]} held @returns {{held: string[], refusal: QuotesError|null}}
   */
  _fit(held) {
    const max = this._maxSymbols();
    if (held.length <= max) return { held, refusal: null };
    const watched = held.filter(s => this._watchers.has(s)).sort();
    const kept = new Set([...watched, ...held.filter(s => !this._watchers.has(s)).sort()].slice(0, max));
    const dropped = held.filter(s => !kept.has(s)).sort();
    const refusal = new QuotesError('SYMBOL_LIMIT',
      `this server holds at most ${max} symbols per connection: ${dropped.length} held ones were let go`, dropped);
    for (const s of dropped) {
      this._symbols.delete(s);
      if (!this._watchers.has(s)) this._store.forget(s);
    }
    this._store.fail(dropped.filter(s => this._watchers.has(s)), refusal);
    return { held: held.filter(s => kept.has(s)), refusal };
  }

  /** The symbols a connection may hold: its welcome's maxSymbols, or MAX_SYMBOLS before it (or without a valid one). */
  _maxSymbols() {
    const max = this.welcome?.maxSymbols;
    return typeof max === 'number' && Number.isInteger(max) && max >= 1 ? max : MAX_SYMBOLS;
  }

  _settle(id, action) {
    if (id === undefined || id === null) return false;
    const entry = this._pending.get(String(id));
    if (!entry) return false;
    this._pending.delete(String(id));
    this._timers.clearTimeout(entry.timer);
    action(entry);
    return true;
  }

  _onClose(socket, code, reason) {
    if (socket !== this._socket) return;
    const neverOpened = !this._socketOpened;
    this._detach(socket);
    this._socket = null;
    this._clearTimer('_connectTimer');
    this._clearTimer('_pingTimer');
    this._cancelRetries();
    this._dropOutbox();
    this._expired.clear(); // their answers would have come on this socket
    // Requests in flight on the dead socket are sent again on the next connection (their timeouts keep running).
    for (const [id, entry] of this._pending) {
      entry.sent = false;
      if (!entry.restorable) continue;
      this._timers.clearTimeout(entry.timer);
      this._pending.delete(id); // made afresh from the held symbols on the next welcome
    }
    this._store.markStale();
    // The backoff starts again only after a connection that lasted: see STABLE_AFTER.
    if (this._welcomedAt !== null && this._timers.now() - this._welcomedAt >= STABLE_AFTER) this._attempt = this._goingAway = 0;
    this._welcomedAt = null;
    if (this._stopped) {
      this._setState('closed', { code, reason });
      return;
    }
    this._scheduleReconnect(code, reason);
    if (neverOpened) this._checkKey();
  }

  /**
   * A connection attempt ended before its upgrade went through. A refused key is answered with HTTP 401, which a
   * browser's WebSocket never shows (a close 1006 like any unreachable server): retried, it would fail silently forever.
   * So the REST API, which takes the same keys, is asked (docs/PROTOCOL.md): its 401 stops the client for good with
   * UNAUTHORIZED. Any other answer, or none (the server is down), leaves the reconnects going.
   */
  async _checkKey() {
    if (this._checkingKey || !this._fetch) return;
    this._checkingKey = true;
    /** @type {QuotesError|null} */
    let refusal = null;
    try {
      const url = new URL(this._url);
      url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
      url.pathname = url.pathname.replace(/\/(ws|api\/socket)\/?$/, '') + '/api/market/status';
      url.search = url.hash = '';
      const response = await this._fetch(url.toString(), { headers: this._apiKey ? { 'X-API-Key': this._apiKey } : {} });
      if (response.status === 401) {
        const body = await response.json().catch(() => null);
        refusal = new QuotesError('UNAUTHORIZED', typeof body?.error === 'string' ? body.error : 'the server refused the API key');
      }
    } catch {
      // No answer (the server is down, a CORS refusal): nothing learnt.
    } finally {
      this._checkingKey = false;
    }
    // A connection that opened meanwhile, or a close(), makes the answer moot.
    if (refusal && !this._stopped && this._state !== 'open') this._refuse(refusal);
  }

  /** The server refused the key: nothing will change that, so no more attempts; everyone waiting is told why. */
  _refuse(error) {
    const held = [...new Set([...this._symbols, ...this._watchers.keys()])];
    this._stop(error);
    this._store.fail(held, error);
    this._emit('error', error);
    this._setState('closed', { reason: error.message });
  }

  _scheduleReconnect(code, reason) {
    // A leaving node (1001) asked us to reconnect elsewhere: the first step (jittered), whatever failures came before.
    // 1001s in a row with no connection that stayed up between them (a balancer that keeps sending us to a draining
    // node, a node that welcomes and leaves at once) go one step up each, as any other failure would.
    const attempt = code === GOING_AWAY ? this._goingAway++ : this._attempt;
    const delay = reconnectDelay(attempt, { min: this._minDelay, max: this._maxDelay, random: this._random });
    this._attempt = attempt + 1;
    this._setState('reconnecting', { code, reason, delay });
    this._reconnectTimer = this._timers.setTimeout(() => {
      this._reconnectTimer = null;
      if (!this._stopped) this._open();
    }, delay);
  }

  /** Any message (a quote, a pong) counts as life, and answers the ping waiting, if one is. */
  _heard() {
    this._lastMessageAt = this._timers.now();
    this._pingSentAt = null;
  }

  /**
   * Keep-alive: after pingInterval without any message, one ping; nothing at all within pingTimeout of it, the link is
   * dead (even if the socket does not know it yet) and is replaced. Only an unanswered ping condemns a link, not a long
   * silence: a browser throttles the timers of a hidden tab (one wake-up a minute), so this check may come much later
   * than asked, and on a quiet market a healthy link may have said nothing since. (The .NET client's KeepAlive too.)
   */
  _schedulePing(wait = this._pingInterval) {
    this._clearTimer('_pingTimer');
    this._pingTimer = this._timers.setTimeout(() => {
      this._pingTimer = null;
      const socket = this._socket;
      if (!socket) return;
      const now = this._timers.now();
      if (this._pingSentAt !== null) {
        const waited = now - this._pingSentAt;
        if (waited < this._pingTimeout) {
          this._schedulePing(this._pingTimeout - waited);
          return;
        }
        this._onClose(socket, 4000, 'no answer to ping');
        try { socket.close(); } catch { /* ignore */ }
        return;
      }
      const silentFor = now - this._lastMessageAt;
      if (silentFor < this._pingInterval) {
        this._schedulePing(this._pingInterval - silentFor);
        return;
      }
      // Paced like any command: behind others it goes out a little later, and their answers count as life meanwhile.
      this._pingSentAt = now;
      this._outbox.push(PING);
      this._drain();
      this._schedulePing(this._pingTimeout);
    }, wait);
  }

  /** Lets go of a socket. Its late error is ignored, not left unhandled (Node's `ws` throws an unhandled one). */
  _detach(socket) {
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.onerror = () => {};
  }

  _rejectAll(error) {
    for (const entry of this._pending.values()) {
      this._timers.clearTimeout(entry.timer);
      entry.reject(error);
    }
    this._pending.clear();
  }

  _clearTimer(name) {
    if (this[name]) this._timers.clearTimeout(this[name]);
    this[name] = null;
  }

  _setState(state, detail = {}) {
    this._state = state;
    this._emit('state', { state, ...detail });
  }

  _emit(event, value) {
    for (const listener of this._listeners.get(event) ?? []) {
      try {
        listener(value);
      } catch (error) {
        // A listener's bug must not break the connection; surface it where developers look.
        (globalThis.reportError ?? console.error)(error);
      }
    }
  }
}
