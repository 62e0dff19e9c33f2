// The React hooks example: a watchlist of live quotes. Open /examples/react.html?apiKey=KEY[&symbols=AAPL,MSFT].
// Plain createElement (no JSX, so no build step); React comes through the page's import map.
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QuotesProvider, useMarketData } from 'akkaquotes-client/react';

function Row({ symbol, quote }) {
  const sign = !quote || quote.change === 0 ? '' : quote.change > 0 ? 'up' : 'down';
  return h('tr', { 'data-symbol': symbol, 'data-seq': quote?.seq ?? '', className: quote?.stale ? 'stale' : '' },
    h('td', null, symbol),
    h('td', { className: 'price' }, quote ? quote.price.toFixed(2) : '…'),
    h('td', { className: sign }, quote ? `${quote.change >= 0 ? '+' : ''}${quote.change.toFixed(2)}` : ''),
    h('td', { className: sign }, quote ? `${quote.changePercent.toFixed(2)}%` : ''));
}

function Watchlist({ symbols }) {
  const { quotes, isConnected, error } = useMarketData(symbols);
  return h('section', null,
    h('p', { id: 'connection', 'data-connected': String(isConnected) }, isConnected ? 'Live' : 'Connecting…'),
    error && h('p', { id: 'error', role: 'alert' }, `${error.code}: ${error.message}`),
    h('table', null,
      h('thead', null, h('tr', null, ['Symbol', 'Price', 'Change', '%'].map(t => h('th', { key: t }, t)))),
      h('tbody', null, symbols.map((s, i) => h(Row, { key: s, symbol: s, quote: quotes[i] })))));
}

function App() {
  const params = new URLSearchParams(location.search);
  const [symbols] = useState(() => (params.get('symbols') ?? 'AAPL,MSFT,TSLA').split(',').map(s => s.trim().toUpperCase()).filter(Boolean));
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  return h(QuotesProvider, { url, apiKey: params.get('apiKey') ?? '' }, h(Watchlist, { symbols }));
}

createRoot(document.getElementById('root')).render(h(App));
