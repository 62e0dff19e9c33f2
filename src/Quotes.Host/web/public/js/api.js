// The client key and the REST API (docs/PROTOCOL.md, REST).

const KEY_ITEM = 'akkaquotes.apiKey';

/**
 * The client key: taken from ?apiKey= once, kept in session storage (this tab only), and removed from the address bar
 * so it is not bookmarked or shared by accident.
 */
export function takeApiKey(win = window) {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('apiKey');
  if (fromUrl) {
    win.sessionStorage.setItem(KEY_ITEM, fromUrl);
    url.searchParams.delete('apiKey');
    win.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return win.sessionStorage.getItem(KEY_ITEM);
}

export function forgetApiKey(win = window) {
  win.sessionStorage.removeItem(KEY_ITEM);
}

/**
 * An error answer of the REST API: `code` as in the protocol (UNAUTHORIZED, NOT_FOUND, …), `status` the HTTP status,
 * `retryAfter` the seconds a 429 or 503 asks to wait (null when it does not say).
 */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** How long one REST request may take, answer included. */
const REQUEST_TIMEOUT_MS = 15_000;

export class MarketApi {
  constructor(apiKey, base = '') {
    this._apiKey = apiKey;
    this._base = base;
  }

  /** GET /api/market/{path}; resolves with `data`, rejects with ApiError. */
  async get(path, query = {}, signal) {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    const url = `${this._base}/api/market/${path}${params.size ? `?${params}` : ''}`;
    // A request nobody answers (a connection half open after a network change) must not hold a panel's refresh for good:
    // it is abandoned after REQUEST_TIMEOUT_MS, answer included. The caller's own signal still cancels it.
    const request = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; request.abort(); }, REQUEST_TIMEOUT_MS);
    const cancel = () => request.abort();
    if (signal?.aborted) request.abort();
    else signal?.addEventListener('abort', cancel, { once: true });
    const timeout = () => new ApiError(0, 'TIMEOUT', 'the server did not answer in time');
    let response;
    let body = null;
    try {
      try {
        response = await fetch(url, { headers: { 'X-API-Key': this._apiKey, Accept: 'application/json' }, signal: request.signal });
      } catch (error) {
        if (timedOut) throw timeout();
        if (signal?.aborted) throw error;
        throw new ApiError(0, 'NETWORK', 'the server could not be reached');
      }
      try { body = await response.json(); } catch { /* not JSON */ }
      if (timedOut) throw timeout();
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
    if (response.ok && body?.success) return body.data;
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(response.status, body?.code ?? 'HTTP_' + response.status, body?.error ?? response.statusText,
      Number.isFinite(retryAfter) ? retryAfter : null);
  }

  quote(symbol, signal) { return this.get(`quote/${encodeURIComponent(symbol)}`, {}, signal); }
  search(q, limit, signal) { return this.get('search', { q, limit }, signal); }
  status(signal) { return this.get('status', {}, signal); }
  historical(symbol, query, signal) { return this.get(`historical/${encodeURIComponent(symbol)}`, query, signal); }
  /** Contracts with prices and Greeks; `query`: `expiry` (YYYY-MM-DD), `type` (call|put), `strikeMin`, `strikeMax`. */
  options(symbol, query = {}, signal) { return this.get(`options/${encodeURIComponent(symbol)}`, query, signal); }
  /** Every expiry of the symbol's chain, ascending (YYYY-MM-DD). */
  expirations(symbol, signal) { return this.get(`options/${encodeURIComponent(symbol)}/expirations`, {}, signal); }
}
