// What a card or watchlist row says about its quote (pure): waiting for the first one, or the market's last price.
import { newYorkDate } from './candles.js';

export const WAITING = 'Waiting for data…';
export const CLOSED = 'Market closed — last price';
export const EARLIER = 'Last price of an earlier day';

/**
 * The state of a symbol's display: `waiting` before any quote with a price; `closed` when the market is closed and
 * the quote is not a trade but the last price: a quote not made from an aggregate (no `barOpen`: the provider's
 * snapshot or the previous close), a `snapshot` quote of the stream, a REST quote whose `source` says so, or a trade
 * from before the page saw the market closed (Friday's last, all weekend); also `closed`, whatever the market, for a
 * quote from an earlier New York day than `now` (a page left open overnight: Friday's last on Monday at 04:00, before
 * the symbol trades); otherwise `live`. `text` is what the page shows for it.
 * @param {object|null|undefined} quote the latest quote
 * @param {string|null|undefined} market `open`, `closed` or `extended-hours` (the `status` message)
 * @param {number|null} closedSince when the page first saw the market closed (Unix ms), null while it is not
 * @param {number} now Unix ms
 */
export function quoteState(quote, market, closedSince = null, now = Date.now()) {
  if (!quote || typeof quote.price !== 'number') return { state: 'waiting', text: WAITING };
  const trade = typeof quote.barOpen === 'number' && quote.snapshot !== true
    && quote.source !== 'snapshot' && quote.source !== 'previous-close';
  const beforeTheClose = closedSince !== null && !(quote.timestamp > closedSince);
  if (market === 'closed' && (!trade || beforeTheClose)) return { state: 'closed', text: CLOSED };
  if (quote.timestamp && newYorkDate(quote.timestamp) !== newYorkDate(now)) {
    return { state: 'closed', text: market === 'closed' ? CLOSED : EARLIER };
  }
  return { state: 'live', text: '' };
}
