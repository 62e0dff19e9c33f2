// What a card or watchlist row says about its quote (pure): waiting for the first one, or the market's last price.

export const WAITING = 'Waiting for data…';
export const CLOSED = 'Market closed — last price';

/**
 * The state of a symbol's display: `waiting` before any quote with a price; `closed` when the market is closed and
 * the quote is not a trade but the last price: a quote not made from an aggregate (no `barOpen`: the provider's
 * snapshot or the previous close), a `snapshot` quote of the stream, or a REST quote whose `source` says so;
 * otherwise `live`. `text` is what the page shows for it.
 * @param {object|null|undefined} quote the latest quote
 * @param {string|null|undefined} market `open`, `closed` or `extended-hours` (the `status` message)
 */
export function quoteState(quote, market) {
  if (!quote || typeof quote.price !== 'number') return { state: 'waiting', text: WAITING };
  const trade = typeof quote.barOpen === 'number' && quote.snapshot !== true
    && quote.source !== 'snapshot' && quote.source !== 'previous-close';
  if (market === 'closed' && !trade) return { state: 'closed', text: CLOSED };
  return { state: 'live', text: '' };
}
