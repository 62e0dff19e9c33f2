// The protocol's symbol rules (docs/PROTOCOL.md), applied before a request leaves the client so that a refusal comes
// at once, with the same code and message as the server's.
import { QuotesError } from './quotes-error.js';

/** Most distinct symbols one connection may hold. */
export const MAX_SYMBOLS = 50;

const PATTERN = /^[A-Z][A-Z0-9.\-]{0,9}$/;

/**
 * Trims and upper-cases each symbol and drops repeats, keeping the first order.
 * @param {Iterable<string>} symbols
 * @returns {string[]}
 */
export function normalizeSymbols(symbols) {
  return [...new Set([...symbols].map(s => String(s ?? '').trim().toUpperCase()))];
}

/**
 * Throws the server's BAD_JSON for a subscribe or unsubscribe that names no symbol at all (it would refuse it so).
 * @param {string[]} symbols normalised symbols
 */
export function checkNotEmpty(symbols) {
  if (symbols.length === 0) throw new QuotesError('BAD_JSON', '"symbols" must name at least one symbol');
}

/**
 * Throws INVALID_SYMBOL, naming the offenders, when a normalised symbol breaks the protocol's rule.
 * @param {string[]} symbols normalised symbols
 */
export function checkSymbols(symbols) {
  const invalid = symbols.filter(s => !PATTERN.test(s));
  if (invalid.length > 0) {
    throw new QuotesError('INVALID_SYMBOL', 'symbols must match ^[A-Z][A-Z0-9.\\-]{0,9}$ after trimming and upper-casing', invalid);
  }
}

/**
 * Throws SYMBOL_LIMIT when adding `adding` new symbols to the `held` ones would pass the connection's limit.
 * @param {number} held
 * @param {number} adding
 * @param {number} [limit]
 */
export function checkLimit(held, adding, limit = MAX_SYMBOLS) {
  if (held + adding > limit) {
    throw new QuotesError('SYMBOL_LIMIT', `a connection may hold at most ${limit} symbols; it holds ${held} and this request adds ${adding}`);
  }
}
