// The options chain panel: every expiry of the selected symbol, calls and puts side by side by strike with bid, ask,
// last, IV, Greeks and open interest, a strike filter (±N strikes around the money, or a price band), the
// at-the-money row marked, refreshed every few seconds while the panel is on screen and the tab visible.
import { formatPrice } from './format.js';
import { SIDE_COLUMNS, rowsByStrike, underlyingPrice, atmIndex, strikeWindow, parseBand, expiriesStale, expiryToShow } from './option-chain.js';
import { newYorkDate } from './candles.js';

const REFRESH_MS = 5_000;
/** How often a chain without expiries (none listed, or the list failed) reads them again while on screen. */
const EXPIRIES_RETRY_MS = 60_000;

export class OptionsChain {
  /**
   * @param {object} parts `panel` (the section), `table`, `select` (expiry), `label` (symbol), `underlying` (its price),
   * `message`, `mode` (select: near|band), `count` (±N input), `near` and `band` (the two filters' boxes), `min`, `max`
   * (band inputs), `api`; `refreshMs` how often to refresh while visible.
   */
  constructor({ panel, table, select, label, underlying, message, mode, count, near, band, min, max, api, refreshMs = REFRESH_MS }) {
    this._table = table;
    this._body = table.tBodies[0];
    this._select = select;
    this._label = label;
    this._underlying = underlying;
    this._message = message;
    this._mode = mode;
    this._count = count;
    this._near = near;
    this._band = band;
    this._min = min;
    this._max = max;
    this._api = api;
    this._symbol = null;
    this._rows = [];
    this._quoted = null; // the underlying's price the provider gave with the chain
    this._live = null; // the underlying's latest streamed price
    this._shown = null; // the rows last drawn, and the money they were drawn for
    this._money = '';
    this._request = null;
    this._refreshes = 0;
    this._expiriesReadAt = 0;
    this._onScreen = true;
    this._head();
    select.addEventListener('change', () => this._load({ centre: true }));
    mode.addEventListener('change', () => {
      near.hidden = mode.value !== 'near';
      band.hidden = mode.value !== 'band';
      this._load({ centre: true });
    });
    count.addEventListener('input', () => this._render(true));
    band.addEventListener('submit', event => { event.preventDefault(); this._load({ centre: true }); });
    if (typeof IntersectionObserver === 'function') {
      new IntersectionObserver(entries => {
        this._onScreen = entries.at(-1).isIntersecting;
        table.dataset.onScreen = String(this._onScreen);
        this._refresh();
      }).observe(panel);
    }
    document.addEventListener('visibilitychange', () => this._refresh());
    setInterval(() => this._refresh(), refreshMs);
  }

  /** While on screen and idle: the chosen expiry's contracts again, or the expiries first when they are stale. */
  _refresh() {
    if (!this._visible() || this._request) return;
    if (expiriesStale(this._select.value, newYorkDate(Date.now()), Date.now() - this._expiriesReadAt, EXPIRIES_RETRY_MS, this._rows.length === 0)) this.show(this._symbol);
    else this._load();
  }

  /** Shows `symbol`'s chain: its expiries (all of them), then the chosen one's contracts. */
  async show(symbol) {
    this._symbol = symbol;
    this._live = null;
    this._quoted = null;
    this._rows = [];
    this._label.textContent = symbol;
    this._underlying.textContent = '';
    this._body.replaceChildren();
    this._request?.abort();
    const request = new AbortController();
    this._request = request;
    this._message.textContent = `Loading ${symbol} options…`;
    this._expiriesReadAt = Date.now();
    let expiries;
    try {
      expiries = await this._api.expirations(symbol, request.signal);
    } catch (error) {
      if (request.signal.aborted) return;
      this._request = null;
      this._select.replaceChildren();
      this._message.textContent = `Could not load ${symbol} options: ${error.message}`;
      return;
    }
    if (request.signal.aborted) return;
    this._request = null;
    const chosen = this._select.value;
    this._select.replaceChildren(...expiries.map(e => new Option(e, e)));
    if (expiries.length) this._select.value = expiryToShow(expiries, chosen, newYorkDate(Date.now()));
    if (!expiries.length) {
      this._message.textContent = `No listed options for ${symbol}.`;
      this._publish();
      return;
    }
    await this._load({ centre: true });
  }

  /** Live quotes move the at-the-money row (and, with ±N strikes, the window around it). */
  onQuote(quote) {
    if (quote.symbol !== this._symbol || typeof quote.price !== 'number') return;
    this._live = quote.price;
    this._render(false);
  }

  _visible() {
    return this._symbol !== null && this._onScreen && document.visibilityState === 'visible';
  }

  /** The chosen expiry's contracts, with the band filter sent to the server; `centre` scrolls to the money. */
  async _load({ centre = false } = {}) {
    const symbol = this._symbol;
    const expiry = this._select.value;
    if (!symbol || !expiry) return;
    const query = { expiry };
    if (this._mode.value === 'band') {
      const band = parseBand(this._min.value, this._max.value);
      if (band.error) {
        this._message.textContent = band.error;
        return;
      }
      Object.assign(query, band);
    }
    this._request?.abort();
    const request = new AbortController();
    this._request = request;
    this._table.dataset.loading = 'true';
    try {
      const contracts = await this._api.options(symbol, query, request.signal);
      if (request.signal.aborted) return;
      this._rows = rowsByStrike(contracts);
      this._quoted = underlyingPrice(contracts);
      this._message.textContent = contracts.length ? '' : `No ${symbol} contracts expire on ${expiry} in this band.`;
      this._refreshes++;
      this._table.dataset.expiry = expiry;
    } catch (error) {
      if (request.signal.aborted) return;
      this._message.textContent = `Could not load ${symbol} options: ${error.message}`;
    } finally {
      if (this._request === request) {
        this._request = null;
        this._table.dataset.loading = 'false';
      }
    }
    this._render(centre);
  }

  /** The price the money is measured from: the streamed one, else the provider's. */
  _price() {
    return this._live ?? this._quoted;
  }

  _head() {
    const sides = document.createElement('tr');
    const side = (text, cls) => {
      const th = document.createElement('th');
      th.colSpan = SIDE_COLUMNS.length;
      th.className = `side ${cls}`;
      th.scope = 'colgroup';
      th.textContent = text;
      return th;
    };
    const blank = document.createElement('th');
    blank.className = 'strike';
    sides.append(side('Calls', 'call'), blank, side('Puts', 'put'));
    const names = document.createElement('tr');
    const th = (column, cls) => {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.className = `num ${cls}`;
      cell.textContent = column.label;
      return cell;
    };
    names.append(...[...SIDE_COLUMNS].reverse().map(c => th(c, 'call')), th({ label: 'Strike' }, 'strike'), ...SIDE_COLUMNS.map(c => th(c, 'put')));
    this._table.tHead.replaceChildren(sides, names);
  }

  _render(centre) {
    const price = this._price();
    const atm = atmIndex(this._rows, price);
    const near = this._mode.value === 'near';
    const n = Math.max(1, Math.min(100, Number.parseInt(this._count.value, 10) || 1));
    const rows = near ? strikeWindow(this._rows, atm, n) : this._rows;
    const atmStrike = atm >= 0 ? this._rows[atm].strike : null;
    // A streamed price redraws only when it moves the money: another at-the-money strike, or a strike crossed.
    const money = `${atmStrike}|${price === null ? '' : rows.filter(r => r.strike < price).length}|${n}|${rows.length}`;
    this._underlying.textContent = price === null ? '' : `at ${formatPrice(price)}`;
    if (!centre && this._shown === this._rows && this._money === money) return;
    this._shown = this._rows;
    this._money = money;
    this._body.replaceChildren(...rows.map(r => this._row(r, price, atmStrike)));
    this._publish();
    const marked = this._body.querySelector('tr.atm');
    if (centre && marked) {
      const wrap = this._body.closest('.table-wrap');
      if (wrap) wrap.scrollTop = Math.max(0, marked.offsetTop - wrap.clientHeight / 2);
    }
  }

  _row({ strike, call, put }, price, atmStrike) {
    const row = document.createElement('tr');
    row.dataset.strike = String(strike);
    if (call) row.dataset.call = call.ticker;
    if (put) row.dataset.put = put.ticker;
    if (price !== null) {
      row.classList.toggle('itm-call', strike < price);
      row.classList.toggle('itm-put', strike > price);
    }
    const cell = (contract, column, side) => {
      const td = document.createElement('td');
      td.className = `num ${side}`;
      td.dataset.field = column.key;
      td.textContent = column.format(contract?.[column.key] ?? null);
      return td;
    };
    const middle = document.createElement('td');
    middle.className = 'num strike';
    middle.textContent = formatPrice(strike);
    if (strike === atmStrike) {
      row.classList.add('atm');
      const tag = document.createElement('span');
      tag.className = 'atm-tag';
      tag.textContent = 'ATM';
      tag.title = 'At the money: the strike nearest the underlying price';
      middle.append(' ', tag);
    }
    row.append(...[...SIDE_COLUMNS].reverse().map(c => cell(call, c, 'call')), middle, ...SIDE_COLUMNS.map(c => cell(put, c, 'put')));
    return row;
  }

  /**
   * State for people and tests (data-* attributes of the table): the symbol and expiry shown, rows, refreshes done,
   * whether a load is under way and whether the panel is on screen.
   */
  _publish() {
    this._table.dataset.rows = String(this._body.rows.length);
    this._table.dataset.refreshes = String(this._refreshes);
    this._table.dataset.symbol = this._symbol ?? '';
  }
}
