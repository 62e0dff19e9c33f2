// The options chain's arithmetic (pure): contracts of one expiry side by side by strike, the at-the-money strike, the
// strike filters (±N strikes around the money, or a price band) and the cells' formats.
import { formatPrice, dash } from './format.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fixed = digits => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const greek3 = fixed(3);
const greek4 = fixed(4);
const percent1 = fixed(1);

const missing = value => value === null || value === undefined || Number.isNaN(value);

/** Implied volatility (0.2534) as a percentage: 25.3%. */
export function formatIv(value) {
  return missing(value) ? dash : `${percent1.format(value * 100)}%`;
}

/** Delta, theta and vega to 3 decimals, gamma (small) to 4. */
export function formatGreek(value, digits = 3) {
  if (missing(value)) return dash;
  const scale = 10 ** digits;
  return (digits === 4 ? greek4 : greek3).format(Math.round(value * scale) / scale || 0); // never "-0.000"
}

export function formatOpenInterest(value) {
  return missing(value) ? dash : integer.format(value);
}

/** One side's columns, from the strike outwards: the call side shows them right to left, the put side left to right. */
export const SIDE_COLUMNS = [
  { key: 'bid', label: 'Bid', format: formatPrice },
  { key: 'ask', label: 'Ask', format: formatPrice },
  { key: 'last', label: 'Last', format: formatPrice },
  { key: 'iv', label: 'IV', format: formatIv },
  { key: 'delta', label: 'Delta', format: v => formatGreek(v, 3) },
  { key: 'gamma', label: 'Gamma', format: v => formatGreek(v, 4) },
  { key: 'theta', label: 'Theta', format: v => formatGreek(v, 3) },
  { key: 'vega', label: 'Vega', format: v => formatGreek(v, 3) },
  { key: 'openInterest', label: 'OI', format: formatOpenInterest },
];

/** Contracts of one expiry as rows `{ strike, call, put }` (the contracts, or null), ascending by strike. */
export function rowsByStrike(contracts) {
  const rows = new Map();
  for (const c of contracts) {
    if (!rows.has(c.strike)) rows.set(c.strike, { strike: c.strike, call: null, put: null });
    rows.get(c.strike)[c.type === 'put' ? 'put' : 'call'] = c;
  }
  return [...rows.values()].sort((a, b) => a.strike - b.strike);
}

/** The underlying's price the provider quoted with the contracts (the first one that has it), or null. */
export function underlyingPrice(contracts) {
  return contracts.find(c => typeof c.underlyingPrice === 'number')?.underlyingPrice ?? null;
}

/** The index of the row whose strike is nearest `price` (the lower one on a tie), or -1 without rows or price. */
export function atmIndex(rows, price) {
  if (!rows.length || typeof price !== 'number') return -1;
  let best = 0;
  rows.forEach((row, i) => { if (Math.abs(row.strike - price) < Math.abs(rows[best].strike - price)) best = i; });
  return best;
}

/** The `n` strikes either side of the row at `atm` (and it): the whole list when there is no at-the-money row. */
export function strikeWindow(rows, atm, n) {
  if (atm < 0) return rows;
  return rows.slice(Math.max(0, atm - n), atm + n + 1);
}

/**
 * The price band typed into the min and max boxes: `{ strikeMin, strikeMax }` (either may be undefined when left
 * empty) or `{ error }` with a sentence when a bound is not a number ≥ 0 or min is above max.
 */
export function parseBand(minText, maxText) {
  const parse = text => {
    const trimmed = String(text ?? '').trim();
    if (trimmed === '') return undefined;
    const value = Number(trimmed);
    return Number.isFinite(value) && value >= 0 ? value : NaN;
  };
  const strikeMin = parse(minText), strikeMax = parse(maxText);
  if (Number.isNaN(strikeMin) || Number.isNaN(strikeMax)) return { error: 'Strikes are prices: enter numbers of 0 or more.' };
  if (strikeMin !== undefined && strikeMax !== undefined && strikeMin > strikeMax) {
    return { error: 'The lowest strike must not be above the highest.' };
  }
  return { strikeMin, strikeMax };
}

/**
 * Whether the expiry list must be read again before the next refresh: the chosen expiry has passed (`today` is the
 * New York date, YYYY-MM-DD; a chain left on screen for days would go on asking for it), its last read found no
 * contract (`chosenEmpty`: an expiry ends at its day's close, so after the close of a 0DTE expiry its chain is empty
 * until midnight), or there is none chosen (the list failed to load, or the symbol had no options); in each case at
 * most once every `retryMs`.
 */
export function expiriesStale(chosen, today, sinceLastReadMs, retryMs, chosenEmpty = false) {
  return (!chosen || chosen < today || chosenEmpty) && sinceLastReadMs >= retryMs;
}

/** The expiry to show: the one chosen while it is listed and not past, else the nearest not past, else the first. */
export function expiryToShow(expiries, chosen, today) {
  if (chosen && chosen >= today && expiries.includes(chosen)) return chosen;
  return expiries.find(e => e >= today) ?? expiries[0];
}
