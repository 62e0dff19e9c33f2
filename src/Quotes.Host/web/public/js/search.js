// The search box: autocomplete from /api/market/search; Enter adds the highlighted match or the typed symbol.

export class SymbolSearch {
  constructor({ form, input, list, api, onChoose, onError }) {
    this._form = form;
    this._input = input;
    this._list = list;
    this._api = api;
    this._onChoose = onChoose;
    this._onError = onError;
    this._matches = [];
    this._active = -1;
    this._timer = null;
    this._request = null;

    input.addEventListener('input', () => this._queue());
    input.addEventListener('keydown', e => this._key(e));
    input.addEventListener('blur', () => setTimeout(() => this._close(), 150));
    form.addEventListener('submit', e => {
      e.preventDefault();
      // The typed text when it is a symbol itself, else the highlighted match ("apple" + Enter adds AAPL).
      const typed = input.value.trim().toUpperCase();
      const match = this._matches.find(m => m.symbol === typed) ?? this._matches[this._active];
      this._choose(match ? match.symbol : typed);
    });
    list.addEventListener('mousedown', e => {
      const item = e.target.closest('li[data-symbol]');
      if (item) { e.preventDefault(); this._choose(item.dataset.symbol); }
    });
  }

  _queue() {
    clearTimeout(this._timer);
    const q = this._input.value.trim();
    if (!q) { this._close(); return; }
    // Matches for the previous text no longer apply; Enter now means the typed text until new ones arrive.
    this._matches = [];
    this._active = -1;
    this._timer = setTimeout(() => this._search(q), 150);
  }

  async _search(q) {
    this._request?.abort();
    const request = new AbortController();
    this._request = request;
    try {
      const matches = await this._api.search(q, 8, request.signal);
      if (request.signal.aborted || this._input.value.trim() !== q) return;
      this._show(matches);
    } catch (error) {
      if (error?.name === 'AbortError') return;
      this._close();
      if (error.code !== 'INVALID_PARAMETER') this._onError(error);
    }
  }

  _show(matches) {
    this._matches = matches;
    this._active = matches.length ? 0 : -1;
    this._list.replaceChildren(...matches.map((m, i) => {
      const item = document.createElement('li');
      item.role = 'option';
      item.dataset.symbol = m.symbol;
      item.setAttribute('aria-selected', String(i === this._active));
      const sym = document.createElement('span');
      sym.className = 'sym';
      sym.textContent = m.symbol;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = m.name ?? '';
      item.append(sym, name);
      return item;
    }));
    this._list.hidden = matches.length === 0;
    this._input.setAttribute('aria-expanded', String(matches.length > 0));
  }

  _key(e) {
    if (this._list.hidden || this._matches.length === 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      this._active = (this._active + step + this._matches.length) % this._matches.length;
      [...this._list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === this._active)));
    } else if (e.key === 'Escape') {
      this._close();
    }
  }

  _choose(text) {
    const symbol = String(text ?? '').trim().toUpperCase();
    clearTimeout(this._timer);
    this._request?.abort();
    this._close();
    if (!symbol) return;
    this._input.value = '';
    this._onChoose(symbol);
  }

  _close() {
    this._matches = [];
    this._active = -1;
    this._list.hidden = true;
    this._list.replaceChildren();
    this._input.setAttribute('aria-expanded', 'false');
  }
}
