// The "Fetch quote" panel: a symbol box and a button that ask GET /api/market/quote/{symbol} once and show the answer
// (price, change %, volume, source, time) or the error as a sentence. Server text only ever goes in as textContent.
import { formatPrice, formatPercent, formatVolume, formatStamp, direction } from './format.js';
import { describeSource, quoteErrorText } from './fetch-quote.js';

export class FetchQuotePanel {
  /** `form` holds the `input`; `result` is a <dl> with [data-field] values; `message` takes the errors. */
  constructor({ form, input, result, message, api }) {
    this._input = input;
    this._result = result;
    this._message = message;
    this._api = api;
    this._request = null;
    form.addEventListener('submit', event => {
      event.preventDefault();
      this.fetch(input.value);
    });
  }

  async fetch(text) {
    const symbol = String(text ?? '').trim().toUpperCase();
    if (!symbol) {
      this._show(null, 'Type a ticker first, like AAPL.');
      return;
    }
    this._request?.abort();
    const request = new AbortController();
    this._request = request;
    this._result.dataset.state = 'loading';
    this._message.textContent = `Fetching ${symbol}…`;
    this._message.hidden = false;
    try {
      const quote = await this._api.quote(symbol, request.signal);
      if (request.signal.aborted) return;
      this._show(quote, '');
    } catch (error) {
      if (request.signal.aborted) return;
      this._show(null, quoteErrorText(error, symbol));
    }
  }

  _show(quote, message) {
    this._message.textContent = message;
    this._message.hidden = !message;
    this._result.hidden = !quote;
    this._result.dataset.state = quote ? 'quote' : 'error';
    if (!quote) return;
    const set = (field, text) => { this._result.querySelector(`[data-field="${field}"]`).textContent = text; };
    set('symbol', quote.symbol);
    set('price', formatPrice(quote.price));
    set('changePercent', formatPercent(quote.changePercent));
    set('volume', formatVolume(quote.volume));
    set('source', describeSource(quote.source));
    set('time', formatStamp(quote.timestamp));
    const change = this._result.querySelector('[data-field="changePercent"]');
    const dir = direction(quote.changePercent);
    change.classList.toggle('up', dir === 'up');
    change.classList.toggle('down', dir === 'down');
    this._result.dataset.source = quote.source ?? '';
  }
}
