// The options chain of the selected symbol: calls and puts by strike for one expiry, from /api/market/options.
import { formatPrice } from './format.js';

/** Contracts grouped by expiry (ascending), each expiry's strikes ascending with the call and put tickers. */
export function chainByExpiry(contracts) {
  const expiries = new Map();
  for (const c of contracts) {
    if (!expiries.has(c.expiry)) expiries.set(c.expiry, new Map());
    const strikes = expiries.get(c.expiry);
    if (!strikes.has(c.strike)) strikes.set(c.strike, { strike: c.strike, call: null, put: null });
    strikes.get(c.strike)[c.type === 'put' ? 'put' : 'call'] = c.ticker;
  }
  return new Map([...expiries.keys()].sort().map(e => [e, [...expiries.get(e).values()].sort((a, b) => a.strike - b.strike)]));
}

export class OptionsChain {
  constructor({ table, select, label, message, api }) {
    this._body = table.tBodies[0];
    this._select = select;
    this._label = label;
    this._message = message;
    this._api = api;
    this._chain = new Map();
    this._symbol = null;
    this._price = null;
    this._request = null;
    select.addEventListener('change', () => this._render());
  }

  async show(symbol) {
    this._symbol = symbol;
    this._price = null;
    this._label.textContent = symbol;
    this._request?.abort();
    const request = new AbortController();
    this._request = request;
    this._message.textContent = `Loading ${symbol} options…`;
    try {
      const contracts = await this._api.options(symbol, request.signal);
      if (request.signal.aborted) return;
      this._chain = chainByExpiry(contracts);
      const expiries = [...this._chain.keys()];
      this._select.replaceChildren(...expiries.map(e => new Option(e, e)));
      this._message.textContent = expiries.length ? '' : `No listed options for ${symbol}.`;
    } catch (error) {
      if (request.signal.aborted) return;
      this._chain = new Map();
      this._select.replaceChildren();
      this._message.textContent = `Could not load ${symbol} options: ${error.message}`;
    }
    this._render();
  }

  /** Live quotes move the at-the-money line and the in-the-money shading. */
  onQuote(quote) {
    if (quote.symbol !== this._symbol || typeof quote.price !== 'number') return;
    const first = this._price === null;
    this._price = quote.price;
    if (first) this._render(); else this._shade();
  }

  /** Brings the at-the-money strike to the middle of the scrolling table (not the page). */
  _centre(row) {
    const wrap = this._body.closest('.table-wrap');
    if (wrap) wrap.scrollTop = Math.max(0, row.offsetTop - wrap.clientHeight / 2);
  }

  _render() {
    const strikes = this._chain.get(this._select.value) ?? [];
    this._body.replaceChildren(...strikes.map(s => {
      const row = document.createElement('tr');
      row.dataset.strike = String(s.strike);
      const call = document.createElement('td');
      call.className = 'call';
      call.textContent = s.call ?? '—';
      const strike = document.createElement('td');
      strike.className = 'num';
      strike.textContent = formatPrice(s.strike);
      const put = document.createElement('td');
      put.className = 'put';
      put.textContent = s.put ?? '—';
      row.append(call, strike, put);
      return row;
    }));
    const atm = this._shade();
    if (atm) this._centre(atm);
  }

  /** Marks in-the-money calls/puts and the at-the-money row; returns that row. */
  _shade() {
    const rows = [...this._body.rows];
    if (this._price === null || rows.length === 0) return null;
    let atm = rows[0];
    for (const row of rows) {
      const strike = Number(row.dataset.strike);
      row.classList.toggle('itm-call', strike < this._price);
      row.classList.toggle('itm-put', strike > this._price);
      if (Math.abs(strike - this._price) < Math.abs(Number(atm.dataset.strike) - this._price)) atm = row;
    }
    for (const row of rows) row.classList.toggle('atm', row === atm);
    return atm;
  }
}
