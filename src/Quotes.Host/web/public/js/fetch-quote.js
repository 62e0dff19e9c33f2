// The "Fetch quote" panel's words (pure): where a REST quote comes from, and its errors as sentences.

const SOURCES = {
  live: 'Live: this server\'s latest quote',
  snapshot: 'Snapshot: the provider\'s snapshot of the day',
  'previous-close': 'Previous close: the last session\'s close',
};

/** A REST quote's `source` (`live`, `snapshot`, `previous-close`) in words. */
export function describeSource(source) {
  return SOURCES[source] ?? (source ? `Source: ${source}` : 'Source unknown');
}

/**
 * An error of `GET /api/market/quote/{symbol}` (an ApiError of api.js: `status`, `code`, `message`, `retryAfter`) as a
 * sentence a person can act on.
 */
export function quoteErrorText(error, symbol) {
  const name = symbol || 'this symbol';
  if (error?.code === 'INVALID_SYMBOL') {
    return `“${name}” is not a valid ticker: use letters, digits, “.” or “-” (up to 10 characters), like AAPL or BRK.B.`;
  }
  if (error?.code === 'TIMEOUT') return 'The server did not answer in time. Try again in a moment.';
  switch (error?.status) {
    case 0:
      return 'The server could not be reached. Check your connection and try again.';
    case 401:
      return 'The server refused this client key. Open the page again with a valid ?apiKey=.';
    case 404:
      return `No quote for ${name}: neither this server nor the market-data provider knows this symbol.`;
    case 429: {
      const wait = error.retryAfter ? `${error.retryAfter} s` : 'a moment';
      return `Too many requests: wait ${wait} and try again.`;
    }
    case 502:
    case 503:
    case 504:
      return 'The market-data provider is unavailable right now. Try again shortly.';
    default:
      return `The quote for ${name} could not be fetched: ${error?.message || 'unknown error'}.`;
  }
}
