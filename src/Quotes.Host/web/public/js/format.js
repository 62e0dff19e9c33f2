// Number and time formatting for the dashboard (pure functions).
import { newYorkDate } from './candles.js';

const price2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const price4 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
// Times are New York's, as the chart's (the market's clock, whatever the browser's time zone).
const clock = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const calendar = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric' });

export const dash = '—';

export function formatPrice(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  return (Math.abs(value) < 1 ? price4 : price2).format(value);
}

export function formatChange(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  return (value > 0 ? '+' : '') + price2.format(value);
}

export function formatPercent(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  return (value > 0 ? '+' : '') + price2.format(value) + '%';
}

export function formatVolume(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  return compact.format(value);
}

/** The New York time of `ms`, with its date in front when it is not the same New York day as `now`. */
export function formatStamp(ms, now = Date.now()) {
  if (!ms) return dash;
  const date = newYorkDate(ms) === newYorkDate(now) ? '' : `${calendar.format(new Date(ms))} `;
  return date + clock.format(new Date(ms));
}

/** 'up', 'down' or '' for the sign of a change: the class that colours it. */
export function direction(change) {
  if (change > 0) return 'up';
  if (change < 0) return 'down';
  return '';
}
