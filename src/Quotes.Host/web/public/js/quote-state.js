// What a card or watchlist row says about its quote (pure): waiting for the first one, or the market's last price.

export const WAITING = 'Waiting for data…';
export const CLOSED = 'Market closed — last price';

/**
 * The state of a symbol's display: `waiting` before any quote with a price; `closed` when the market is closed and
 * the quote is not a trade but the last price: a quote not made from an aggregate (no `barOpen`: the provider's
 * snapshot or the previous close), a `snapshot` quote of the stream, a REST quote whose `source` says so, or a trade
 * from before the page saw the market closed (Friday's last, all weekend); otherwise `live`. `text` is what the page
 * shows for it.
 * @param {object|null|undefined} quote the latest quote
 * @param {string|null|undefined} market `open`, `closed` or `extended-hours` (the `status` message)
 * @param {number|null} closedSince when the page first saw the market closed (Unix ms), null while it is not
 */
export function quoteState(quote, market, closedSince = null) {
  if (!quote || typeof quote.price !== 'number') return { state: 'waiting', text: WAITING };
  const trade = typeof quote.barOpen === 'number' && quote.snapshot !== true
    && quote.source !== 'snapshot' && quote.source !== 'previous-close';
  const beforeTheClose = closedSince !== null && !(quote.timestamp > closedSince);
  if (market === 'closed' && (!trade || beforeTheClose)) return { state: 'closed', text: CLOSED };
  return { state: 'live', text: '' };
}
