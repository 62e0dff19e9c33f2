// React hooks over the AkkaQuotes client: one client per <QuotesProvider>, subscriptions shared between components by
// reference count, and a render only when a watched symbol changes (useSyncExternalStore over the client's store).
// React is a peer: this module imports 'react' and never bundles it (in a page, an import map names it).
//
//   <QuotesProvider url="ws://localhost:5000/ws" apiKey={key}><Watchlist /></QuotesProvider>
//   const { quotes, isConnected, error } = useMarketData(['AAPL', 'TSLA']);
import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { QuotesClient } from './quotes-client.js';
import { normalizeSymbols } from './symbol-rules.js';

/** @typedef {import('./quote-store.js').Quote} Quote */
/** @typedef {import('./quotes-client.js').ConnectionState} ConnectionState */
/** @typedef {import('./quotes-client.js').SubscribedMessage} SubscribedMessage */
/** @typedef {import('./quotes-client.js').UnsubscribedMessage} UnsubscribedMessage */
/** @typedef {import('./quotes-error.js').QuotesError} QuotesError */

/** @type {import('react').Context<QuotesClient|null>} */
const QuotesContext = createContext(/** @type {QuotesClient|null} */ (null));

/**
 * Owns one client for the components below it: connects on mount, closes on unmount, and makes a new one when the
 * URL or the key changes.
 * @param {{url: string, apiKey?: string, options?: Omit<import('./quotes-client.js').QuotesClientOptions, 'url'|'apiKey'>, children?: import('react').ReactNode}} props
 */
export function QuotesProvider({ url, apiKey, options, children }) {
  const client = useMemo(() => new QuotesClient({ ...options, url, apiKey }), [url, apiKey]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    client.connect();
    return () => client.close();
  }, [client]);
  return createElement(QuotesContext.Provider, { value: client }, children);
}

/** The provider's client, for what the hooks do not cover (events, REST-free state). @returns {QuotesClient} */
export function useQuotesClient() {
  const client = useContext(QuotesContext);
  if (!client) throw new Error('AkkaQuotes hooks need a <QuotesProvider> above them');
  return client;
}

/**
 * The connection: its state, and the client's own subscribe/unsubscribe (promises of the server's answer).
 * @returns {{isConnected: boolean, state: ConnectionState, subscribe: (symbols: string[]) => Promise<SubscribedMessage>, unsubscribe: (symbols: string[]) => Promise<UnsubscribedMessage>}}
 */
export function useWebSocket() {
  const client = useQuotesClient();
  const listen = useCallback((/** @type {() => void} */ onChange) => client.on('state', onChange), [client]);
  const state = useSyncExternalStore(listen, () => client.state);
  const subscribe = useCallback((/** @type {string[]} */ symbols) => client.subscribe(symbols), [client]);
  const unsubscribe = useCallback((/** @type {string[]} */ symbols) => client.unsubscribe(symbols), [client]);
  return useMemo(() => ({ isConnected: state === 'open', state, subscribe, unsubscribe }), [state, subscribe, unsubscribe]);
}

/**
 * Live quotes of `symbols`, in the order asked (null until a symbol's first quote; `stale` while disconnected). The
 * symbols are watched while the component is mounted; `error` is why they are not (SYMBOL_LIMIT, INVALID_SYMBOL,
 * CAPACITY, UNAUTHORIZED, …), or null.
 * @param {string[]} symbols
 * @returns {{quotes: (Quote|null)[], isConnected: boolean, error: QuotesError|null}}
 */
export function useMarketData(symbols) {
  const client = useQuotesClient();
  const { isConnected } = useWebSocket();
  const key = normalizeSymbols(symbols).join(',');
  const list = useMemo(() => (key === '' ? [] : key.split(',')), [key]);
  const [refused, setRefused] = useState(/** @type {{client: QuotesClient, list: string[], error: QuotesError}|null} */ (null));
  const watch = useCallback((/** @type {() => void} */ onChange) => {
    try {
      return client.watch(list, onChange);
    } catch (error) {
      setRefused({ client, list, error: /** @type {QuotesError} */ (error) }); // watch() throws only QuotesErrors
      return () => {};
    }
  }, [client, list]);
  const last = useRef(/** @type {{list: string[], quotes: (Quote|null)[], error: QuotesError|null}|null} */ (null));
  const read = () => {
    const quotes = list.map(s => client.quote(s));
    const error = list.map(s => client.subscriptionError(s)).find(e => e) ?? null;
    const before = last.current;
    if (before && before.list === list && before.error === error && before.quotes.every((q, i) => q === quotes[i])) return before;
    return (last.current = { list, quotes, error });
  };
  const current = useSyncExternalStore(watch, read);
  const error = (refused?.client === client && refused.list === list ? refused.error : null) ?? current.error;
  return useMemo(() => ({ quotes: current.quotes, isConnected, error }), [current, isConnected, error]);
}

/**
 * The live quote of one symbol (null until its first).
 * @param {string} symbol
 * @returns {Quote|null}
 */
export function useQuote(symbol) {
  return useMarketData([symbol]).quotes[0] ?? null;
}
