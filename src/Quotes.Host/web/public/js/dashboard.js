// The dashboard page: wires the client module, the REST API and the panels together.
import { QuotesClient } from './quotes-client.js';
import { takeApiKey, forgetApiKey, MarketApi } from './api.js';
import { QuoteCards } from './cards.js';
import { Watchlist } from './watchlist.js';
import { SymbolSearch } from './search.js';
import { PriceChart } from './chart.js';
import { OptionsChain } from './options.js';
import { FetchQuotePanel } from './fetch-panel.js';

const CARD_SYMBOLS = ['AAPL', 'TSLA', 'NVDA'];
const SELECTED_ITEM = 'akkaquotes.selected';
const TIMEFRAME_ITEM = 'akkaquotes.timeframe';
const $ = id => document.getElementById(id);

/** Shows a notice built from text and `{ code }` parts: always as text nodes, never parsed as HTML (error texts come from outside). */
function notice(...parts) {
  const box = $('notice');
  box.replaceChildren(...parts.map(part => {
    if (typeof part === 'string') return document.createTextNode(part);
    const code = document.createElement('code');
    code.textContent = part.code;
    return code;
  }));
  box.hidden = false;
}

function setStatus(id, state, label) {
  const chip = $(id);
  chip.dataset.state = state;
  chip.querySelector('.label').textContent = label;
}

/** The protocol's errors in words a person can act on. */
function friendly(error, symbol, maxSymbols) {
  switch (error.code) {
    case 'SYMBOL_LIMIT':
      return `You can follow at most ${maxSymbols} symbols at once (the cards above count too). Remove one to add ${symbol}.`;
    case 'INVALID_SYMBOL':
      return `“${symbol}” is not a valid ticker: use letters, digits, “.” or “-” (up to 10 characters), like AAPL or BRK.B.`;
    case 'RATE_LIMITED':
      return 'Too many requests at once; try again in a moment.';
    case 'TIMEOUT':
    case 'CLOSED':
      return `The server did not answer; ${symbol} was not added. Try again.`;
    default:
      return `${symbol} could not be added: ${error.message}`;
  }
}

async function main() {
  const apiKey = takeApiKey();
  if (!apiKey) {
    notice('This dashboard needs a client key. Open it as ', { code: '/?apiKey=YOUR_KEY' }, ': the server prints that URL when it starts (see README).');
    setStatus('connection', 'closed', 'No key');
    return;
  }
  const api = new MarketApi(apiKey);
  try {
    await api.status();
  } catch (error) {
    if (error.status === 401) {
      forgetApiKey();
      notice('The server refused this client key. Open the page again with a valid ', { code: '?apiKey=' }, ' (one of the server\'s ', { code: 'Auth:ApiKeys' }, ').');
      setStatus('connection', 'closed', 'Key refused');
      return;
    }
    // Anything else (the provider is down, say) does not stop live quotes.
  }

  const client = new QuotesClient({ url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, apiKey });
  let maxSymbols = 50;
  let selected = localStorage.getItem(SELECTED_ITEM) ?? CARD_SYMBOLS[0];

  const chart = new PriceChart($('chart'), $('chart-message'), api);
  const options = new OptionsChain({
    panel: $('options-panel'), table: $('options'), select: $('expiry'), label: $('options-symbol'), underlying: $('options-underlying'),
    message: $('options-message'), mode: $('strike-mode'), count: $('strike-count'), near: $('near-filter'), band: $('band-filter'),
    min: $('strike-min'), max: $('strike-max'), api,
  });
  new FetchQuotePanel({ form: $('fetch-form'), input: $('fetch-symbol'), result: $('fetch-result'), message: $('fetch-message'), api });
  const cards = new QuoteCards($('cards'), CARD_SYMBOLS, symbol => select(symbol));
  const watchlist = new Watchlist({
    table: $('watchlist'), count: $('watch-count'), message: $('watch-message'), storage: localStorage,
    onRemove: symbol => {
      if (CARD_SYMBOLS.includes(symbol)) return;
      client.unsubscribe([symbol]).catch(() => {});
      chart.forget(symbol);
    },
    onSelect: symbol => select(symbol),
  });

  function select(symbol) {
    selected = symbol;
    localStorage.setItem(SELECTED_ITEM, symbol);
    $('chart-symbol').textContent = symbol;
    cards.select(symbol);
    watchlist.select(symbol);
    chart.show(symbol);
    options.show(symbol);
  }

  async function add(symbol) {
    if (watchlist.has(symbol)) {
      watchlist.showMessage(`${symbol} is already on your watchlist.`);
      return;
    }
    watchlist.showMessage(client.state === 'open' ? '' : `Adding ${symbol} when the connection is back…`);
    try {
      await client.subscribe([symbol]);
      watchlist.add(symbol);
      watchlist.showMessage('');
    } catch (error) {
      watchlist.showMessage(friendly(error, symbol, maxSymbols));
    }
  }

  new SymbolSearch({
    form: $('search-form'), input: $('search'), list: $('suggestions'), api,
    onChoose: add,
    onError: error => watchlist.showMessage(`Search failed: ${error.message}`),
  });

  for (const button of $('timeframes').querySelectorAll('button')) {
    button.addEventListener('click', () => {
      for (const b of $('timeframes').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
      localStorage.setItem(TIMEFRAME_ITEM, button.dataset.timeframe);
      chart.show(selected, button.dataset.timeframe);
    });
  }
  const timeframe = localStorage.getItem(TIMEFRAME_ITEM) ?? '1m';
  for (const b of $('timeframes').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.timeframe === timeframe));

  client.on('state', ({ state, delay }) => {
    const labels = { connecting: 'Connecting…', open: 'Live', closed: 'Disconnected' };
    setStatus('connection', state, state === 'reconnecting' ? `Reconnecting${delay ? ` in ${(delay / 1000).toFixed(1)} s` : '…'}` : labels[state] ?? state);
  });
  let welcomed = false;
  client.on('welcome', welcome => {
    maxSymbols = welcome.maxSymbols ?? maxSymbols;
    $('node').textContent = `Session ${welcome.sessionId}`;
    // A reconnect: what the chart holds may be from before a gap, or from a restarted server whose seq started over.
    if (welcomed) chart.reconnected();
    welcomed = true;
  });
  let closedSince = null; // when this page first saw the market closed: trades from before are last prices
  let market = null;
  // Once a minute: a quote whose New York day has ended is dated and shown as an earlier day's last price.
  setInterval(() => {
    if (market === null) return;
    cards.setMarket(market, closedSince);
    watchlist.setMarket(market, closedSince);
  }, 60_000);
  client.on('status', status => {
    const live = status.feed === 'simulator' ? 'Feed: simulated prices' : 'Feed: live';
    const feed = { connected: live, connecting: 'Feed: connecting', reconnecting: 'Feed: reconnecting', unauthorized: 'Feed: key refused', down: 'Feed: down' };
    setStatus('upstream', status.upstream, feed[status.upstream] ?? `Feed: ${status.upstream}`);
    setStatus('market', status.market, `Market: ${status.market.replace('-', ' ')}`);
    closedSince = status.market === 'closed' ? closedSince ?? Date.now() : null;
    market = status.market;
    cards.setMarket(status.market, closedSince);
    watchlist.setMarket(status.market, closedSince);
  });
  client.on('quote', quote => {
    cards.onQuote(quote);
    watchlist.onQuote(quote);
    chart.onQuote(quote);
    options.onQuote(quote);
  });
  client.on('error', error => watchlist.showMessage(`Server: ${error.message}`));
  client.connect();

  if (!CARD_SYMBOLS.includes(selected) && !watchlist.has(selected)) selected = CARD_SYMBOLS[0];
  $('chart-symbol').textContent = selected;
  cards.select(selected);
  watchlist.select(selected);
  chart.show(selected, timeframe);
  options.show(selected);

  await client.subscribe(CARD_SYMBOLS).catch(error => watchlist.showMessage(`Server: ${error.message}`));
  const saved = watchlist.symbols;
  try {
    await client.subscribe(saved);
  } catch {
    // A saved list the server will not take whole (an old invalid entry, a lower limit): one by one, keep what it takes.
    for (const symbol of saved) {
      try {
        await client.subscribe([symbol]);
      } catch (error) {
        watchlist.remove(symbol);
        watchlist.showMessage(friendly(error, symbol, maxSymbols));
      }
    }
  }
}

main().catch(error => notice(`The dashboard failed to start: ${error.message}`));
