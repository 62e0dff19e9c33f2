// The featured quote cards: price, change and change % coloured by sign, a flash on every update, last update time;
// "Waiting for data…" before the first quote, "Market closed — last price" over a closed market's last price.
import { formatPrice, formatChange, formatPercent, formatStamp, direction } from './format.js';
import { quoteState } from './quote-state.js';

export class QuoteCards {
  constructor(container, symbols, onSelect) {
    this._cards = new Map();
    this._quotes = new Map();
    this._market = null;
    for (const symbol of symbols) {
      const card = document.createElement('article');
      card.className = 'card';
      card.dataset.symbol = symbol;
      card.tabIndex = 0;
      card.innerHTML = `
        <div class="symbol"></div>
        <div class="note" role="status"></div>
        <div class="price">—</div>
        <div class="change"><span class="abs">—</span> (<span class="pct">—</span>)</div>
        <div class="meta"><span class="prev"></span><span class="time" title="Last update">—</span></div>`;
      card.querySelector('.symbol').textContent = symbol;
      card.addEventListener('click', () => onSelect(symbol));
      card.addEventListener('keydown', e => { if (e.key === 'Enter') onSelect(symbol); });
      container.append(card);
      this._cards.set(symbol, card);
      this._showState(symbol);
    }
  }

  get symbols() { return [...this._cards.keys()]; }

  select(symbol) {
    for (const [s, card] of this._cards) card.classList.toggle('selected', s === symbol);
  }

  /**
   * The market's state from the `status` message, and since when the page has seen it closed: a closed market's last
   * prices say so. Called again every minute with the same state, so a quote whose day has ended says so too.
   */
  setMarket(market, closedSince = null) {
    this._market = market;
    this._closedSince = closedSince;
    for (const symbol of this._cards.keys()) this._showState(symbol);
  }

  onQuote(quote) {
    const card = this._cards.get(quote.symbol);
    if (!card) return;
    this._quotes.set(quote.symbol, quote);
    this._showState(quote.symbol);
    const dir = direction(quote.change);
    const price = card.querySelector('.price');
    price.textContent = formatPrice(quote.price);
    card.querySelector('.abs').textContent = formatChange(quote.change);
    card.querySelector('.pct').textContent = formatPercent(quote.changePercent);
    const change = card.querySelector('.change');
    change.classList.toggle('up', dir === 'up');
    change.classList.toggle('down', dir === 'down');
    card.querySelector('.prev').textContent = quote.previousClose != null ? `prev close ${formatPrice(quote.previousClose)}` : '';
    card.dataset.seq = String(quote.seq ?? '');
    card.dataset.change = String(quote.change ?? '');
    if (!quote.snapshot && quote.previousPrice != null && quote.price !== quote.previousPrice) {
      flash(price, quote.price > quote.previousPrice ? 'flash-up' : 'flash-down');
    }
  }

  _showState(symbol) {
    const card = this._cards.get(symbol);
    const quote = this._quotes.get(symbol);
    const { state, text } = quoteState(quote, this._market, this._closedSince ?? null);
    card.dataset.state = state;
    card.querySelector('.note').textContent = text;
    if (quote) card.querySelector('.time').textContent = formatStamp(quote.timestamp); // dated once its day is over
  }
}

/** Restarts a one-shot CSS animation on `element`. */
export function flash(element, className) {
  element.classList.remove('flash-up', 'flash-down');
  void element.offsetWidth; // restart the animation
  element.classList.add(className);
}
