// The client's quote store: the latest quote per symbol, marked stale while the connection is down, the last refusal
// of a symbol, and listeners per symbol. Pure bookkeeping: no I/O, so every rule is unit-tested on its own.

/** @typedef {import('./quotes-error.js').QuotesError} QuotesError */

/**
 * @typedef {object} Quote  a quote as the server sends it (docs/PROTOCOL.md, "The quote"), plus `stale`. The day's
 *   values may be null (src/Quotes.Contracts/Quote.cs): not known yet, e.g. a new trading day's before its first update
 * @property {string} symbol
 * @property {number} price
 * @property {number|null} previousPrice  null on the first update
 * @property {number|null} change  null without a previous close or an open to measure from
 * @property {number|null} changePercent
 * @property {number|null} previousClose  null if unknown
 * @property {number|null} open
 * @property {number|null} high
 * @property {number|null} low
 * @property {number} volume
 * @property {number|null} vwap
 * @property {number} timestamp
 * @property {number} seq
 * @property {number} [barOpen]  the open of the aggregate window the quote was made from (its close is `price`, its end
 *   `timestamp`); absent on a quote not made from an aggregate, e.g. one from the provider's snapshot
 * @property {number} [barHigh]  that window's high
 * @property {number} [barLow]  that window's low
 * @property {number} [barVolume]  the volume traded in that window
 * @property {boolean} [snapshot]
 * @property {boolean} stale  true from a lost connection until the next quote of the symbol arrives
 */

/** @typedef {Omit<Quote, 'stale'> & {type: 'quote'}} QuoteMessage  a quote as it comes from the server (the `quote` event) */
/** @typedef {(quote: Quote|null, symbol: string) => void} QuoteListener */

export class QuoteStore {
  constructor() {
    /** @type {Map<string, Quote>} */
    this._quotes = new Map();
    /** @type {Map<string, QuotesError>} */
    this._errors = new Map();
    /** @type {Map<string, Set<QuoteListener>>} */
    this._listeners = new Map();
  }

  /** @param {string} symbol @returns {Quote|null} the latest quote; a new object each time it changes, the same one otherwise */
  quote(symbol) { return this._quotes.get(symbol) ?? null; }

  /** @param {string} symbol @returns {QuotesError|null} why the symbol is not held, until it is */
  error(symbol) { return this._errors.get(symbol) ?? null; }

  /** Keeps a fresh quote (not stale) and clears the symbol's error. @param {Omit<Quote, 'stale'> & {type?: string}} quote */
  put(quote) {
    const { type, ...fields } = quote;
    this._quotes.set(quote.symbol, Object.freeze({ ...fields, stale: false }));
    this._errors.delete(quote.symbol);
    this._notify(quote.symbol);
  }

  /** The connection is down: every quote kept is stale until its symbol's next quote. */
  markStale() {
    for (const [symbol, quote] of this._quotes) {
      if (quote.stale) continue;
      this._quotes.set(symbol, Object.freeze({ ...quote, stale: true }));
      this._notify(symbol);
    }
  }

  /** @param {string[]} symbols @param {QuotesError} error */
  fail(symbols, error) {
    for (const symbol of symbols) {
      this._errors.set(symbol, error);
      this._notify(symbol);
    }
  }

  /** @param {string[]} symbols */
  clearErrors(symbols) {
    for (const symbol of symbols) if (this._errors.delete(symbol)) this._notify(symbol);
  }

  /** Drops what is kept of a symbol nobody holds any more. @param {string} symbol */
  forget(symbol) {
    this._quotes.delete(symbol);
    this._errors.delete(symbol);
  }

  /**
   * Calls `listener(quote, symbol)` after every change of the symbol's quote, stale mark or error.
   * @param {string} symbol @param {QuoteListener} listener @returns {() => void} removes the listener
   */
  listen(symbol, listener) {
    let set = this._listeners.get(symbol);
    if (!set) this._listeners.set(symbol, set = new Set());
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this._listeners.get(symbol) === set) this._listeners.delete(symbol);
    };
  }

  /** @param {string} symbol */
  _notify(symbol) {
    const quote = this.quote(symbol);
    for (const listener of [...(this._listeners.get(symbol) ?? [])]) {
      try {
        listener(quote, symbol);
      } catch (error) {
        (globalThis.reportError ?? console.error)(error);
      }
    }
  }
}
