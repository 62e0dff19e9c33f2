// The watchlist: symbols added through search, removable, sortable by any column, kept in local storage; a row says
// "Waiting for data…" before its first quote and "Market closed — last price" over a closed market's last price.
import { formatPrice, formatChange, formatPercent, formatVolume, formatStamp, direction, dash } from './format.js';
import { flash } from './cards.js';
import { quoteState } from './quote-state.js';

const STORE_ITEM = 'akkaquotes.watchlist';
const DEFAULT = { symbols: ['AAPL', 'TSLA', 'NVDA', 'MSFT', 'AMZN'], sort: { key: 'symbol', dir: 'asc' } };

/** Reads the saved watchlist (or the default one); anything unreadable falls back to the default. */
export function loadWatchlist(storage) {
  try {
    const saved = JSON.parse(storage.getItem(STORE_ITEM));
    if (saved && Array.isArray(saved.symbols) && saved.symbols.every(s => typeof s === 'string')) {
      const sort = saved.sort && typeof saved.sort.key === 'string' ? saved.sort : DEFAULT.sort;
      return { symbols: [...new Set(saved.symbols)], sort: { key: sort.key, dir: sort.dir === 'desc' ? 'desc' : 'asc' } };
    }
  } catch { /* fall through */ }
  return structuredClone(DEFAULT);
}

export function saveWatchlist(storage, state) {
  storage.setItem(STORE_ITEM, JSON.stringify(state));
}

/** Symbols in display order: by `sort.key` of their latest quote, symbols without a value last, ties by symbol. */
export function sortSymbols(symbols, quotes, sort) {
  const sign = sort.dir === 'desc' ? -1 : 1;
  const value = s => (sort.key === 'symbol' ? s : quotes.get(s)?.[sort.key]);
  return [...symbols].sort((a, b) => {
    const va = value(a), vb = value(b);
    const missingA = va === undefined || va === null, missingB = vb === undefined || vb === null;
    if (missingA !== missingB) return missingA ? 1 : -1;
    if (!missingA && va !== vb) return (va < vb ? -1 : 1) * sign;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

const COLUMNS = [
  ['price', q => formatPrice(q.price)],
  ['change', q => formatChange(q.change)],
  ['changePercent', q => formatPercent(q.changePercent)],
  ['volume', q => formatVolume(q.volume)],
  ['vwap', q => formatPrice(q.vwap)],
  ['timestamp', q => formatStamp(q.timestamp)],
];

export class Watchlist {
  constructor({ table, count, message, storage, onRemove, onSelect }) {
    this._body = table.tBodies[0];
    this._headers = [...table.tHead.querySelectorAll('th[data-sort]')];
    this._count = count;
    this._message = message;
    this._storage = storage;
    this._onRemove = onRemove;
    this._onSelect = onSelect;
    this._state = loadWatchlist(storage);
    this._quotes = new Map();
    this._rows = new Map();
    this._selected = null;
    this._market = null;
    this._renderPending = false;
    for (const th of this._headers) th.addEventListener('click', () => this.sortBy(th.dataset.sort));
    for (const symbol of this._state.symbols) this._addRow(symbol);
    this._render();
  }

  get symbols() { return [...this._state.symbols]; }

  has(symbol) { return this._state.symbols.includes(symbol); }

  /** Adds a symbol the server has accepted. */
  add(symbol) {
    if (this.has(symbol)) return;
    this._state.symbols.push(symbol);
    this._addRow(symbol);
    this._save();
    this._render();
  }

  remove(symbol) {
    this._state.symbols = this._state.symbols.filter(s => s !== symbol);
    this._rows.get(symbol)?.remove();
    this._rows.delete(symbol);
    this._save();
    this._render();
  }

  sortBy(key) {
    const { sort } = this._state;
    this._state.sort = { key, dir: sort.key === key && sort.dir === 'asc' ? 'desc' : 'asc' };
    this._save();
    this._render();
  }

  select(symbol) {
    this._selected = symbol;
    for (const [s, row] of this._rows) row.classList.toggle('selected', s === symbol);
  }

  showMessage(text) {
    this._message.textContent = text;
    this._message.hidden = !text;
  }

  /**
   * The market's state from the `status` message, and since when the page has seen it closed: a closed market's last
   * prices say so. Called again every minute with the same state, so a quote whose day has ended says so too.
   */
  setMarket(market, closedSince = null) {
    this._market = market;
    this._closedSince = closedSince;
    for (const [symbol, row] of this._rows) {
      const quote = this._quotes.get(symbol);
      if (quote) this._fill(row, quote); // its time too: dated once its day is over
      else this._showState(row, undefined);
    }
  }

  onQuote(quote) {
    this._quotes.set(quote.symbol, quote);
    const row = this._rows.get(quote.symbol);
    if (!row) return;
    this._fill(row, quote);
    if (!quote.snapshot && quote.previousPrice != null && quote.price !== quote.previousPrice) {
      flash(row.cells[1], quote.price > quote.previousPrice ? 'flash-up' : 'flash-down');
    }
    if (this._state.sort.key !== 'symbol') this._scheduleRender();
  }

  _addRow(symbol) {
    const row = document.createElement('tr');
    row.dataset.symbol = symbol;
    const name = document.createElement('td');
    name.className = 'symbol';
    const note = document.createElement('small');
    note.className = 'note';
    name.append(symbol, note);
    row.append(name);
    for (const [key] of COLUMNS) {
      const cell = document.createElement('td');
      cell.className = 'num';
      cell.dataset.field = key;
      cell.textContent = dash;
      row.append(cell);
    }
    const action = document.createElement('td');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.title = `Remove ${symbol}`;
    remove.setAttribute('aria-label', `Remove ${symbol}`);
    remove.textContent = '×';
    remove.addEventListener('click', e => { e.stopPropagation(); this.remove(symbol); this._onRemove(symbol); });
    action.append(remove);
    row.append(action);
    row.addEventListener('click', () => this._onSelect(symbol));
    row.classList.toggle('selected', symbol === this._selected);
    this._rows.set(symbol, row);
    const quote = this._quotes.get(symbol);
    if (quote) this._fill(row, quote);
    else this._showState(row, undefined);
  }

  _showState(row, quote) {
    const { state, text } = quoteState(quote, this._market, this._closedSince ?? null);
    row.dataset.state = state;
    row.querySelector('.note').textContent = text;
  }

  _fill(row, quote) {
    this._showState(row, quote);
    const dir = direction(quote.change);
    COLUMNS.forEach(([key, format], i) => {
      const cell = row.cells[i + 1];
      cell.textContent = format(quote);
      if (key === 'change' || key === 'changePercent') {
        cell.classList.toggle('up', dir === 'up');
        cell.classList.toggle('down', dir === 'down');
      }
    });
  }

  _scheduleRender() {
    if (this._renderPending) return;
    this._renderPending = true;
    requestAnimationFrame(() => { this._renderPending = false; this._render(); });
  }

  _render() {
    const { sort } = this._state;
    for (const th of this._headers) {
      if (th.dataset.sort === sort.key) th.setAttribute('aria-sort', sort.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    sortSymbols(this._state.symbols, this._quotes, sort).forEach((symbol, i) => {
      const row = this._rows.get(symbol);
      if (this._body.rows[i] !== row) this._body.insertBefore(row, this._body.rows[i] ?? null);
    });
    this._count.textContent = `${this._state.symbols.length} symbols`;
  }

  _save() { saveWatchlist(this._storage, this._state); }
}
