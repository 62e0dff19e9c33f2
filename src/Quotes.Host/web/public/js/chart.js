// The candlestick chart of the selected symbol: history from REST, then the current candle moved by live quotes.
import { createChart, CandlestickSeries, ColorType } from '/vendor/lightweight-charts.standalone.production.mjs';
import { TIMEFRAMES, historyQuery, candlesFromHistory, applyQuote } from './candles.js';

const intraday = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false });
const daily = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric' });
const full = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', dateStyle: 'medium', timeStyle: 'short' });

export class PriceChart {
  constructor(container, message, api) {
    this._container = container;
    this._message = message;
    this._api = api;
    this._symbol = null;
    this._timeframe = '1m';
    this._last = null;
    this._loading = null;
    this._updates = 0;
    this._chart = createChart(container, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#8b949e' },
      grid: { vertLines: { color: '#1f2630' }, horzLines: { color: '#1f2630' } },
      rightPriceScale: { borderColor: '#2a3140' },
      timeScale: {
        borderColor: '#2a3140', timeVisible: true, secondsVisible: false,
        tickMarkFormatter: (time, type) => (type <= 2 ? daily : intraday).format(new Date(time * 1000)),
      },
      localization: { timeFormatter: time => full.format(new Date(time * 1000)) + ' ET' },
    });
    this._series = this._chart.addSeries(CandlestickSeries, {
      upColor: '#2ea043', downColor: '#da3633', borderVisible: false, wickUpColor: '#2ea043', wickDownColor: '#da3633',
    });
  }

  get timeframe() { return this._timeframe; }

  /** Shows `symbol` in `timeframe`: loads its history, then follows live quotes. */
  async show(symbol, timeframe = this._timeframe) {
    if (!TIMEFRAMES[timeframe]) return;
    this._symbol = symbol;
    this._timeframe = timeframe;
    this._last = null;
    this._updates = 0;
    this._publish();
    this._loading?.abort();
    const loading = new AbortController();
    this._loading = loading;
    this._message.textContent = `Loading ${symbol} history…`;
    try {
      const history = await this._api.historical(symbol, historyQuery(timeframe), loading.signal);
      if (loading.signal.aborted) return;
      const candles = candlesFromHistory(history.bars);
      this._series.setData(candles);
      this._last = candles.at(-1) ?? null;
      this._chart.timeScale().fitContent();
      if (candles.length > 150) this._chart.timeScale().setVisibleLogicalRange({ from: candles.length - 150, to: candles.length + 2 });
      this._message.textContent = candles.length ? '' : `No history for ${symbol} in this range; live candles will appear as quotes arrive.`;
    } catch (error) {
      if (loading.signal.aborted) return;
      this._series.setData([]);
      this._message.textContent = `Could not load ${symbol} history: ${error.message}`;
    } finally {
      if (this._loading === loading) this._loading = null;
      this._publish();
    }
  }

  /** A live quote: moves the current candle (or starts the next) when it is for the shown symbol. */
  onQuote(quote) {
    if (quote.symbol !== this._symbol || this._loading) return;
    const candle = applyQuote(this._last, quote, this._timeframe);
    if (!candle) return;
    this._series.update(candle);
    this._last = candle;
    this._updates++;
    this._publish();
  }

  /** State for people and tests: bar count, live updates, last close (data-* attributes of the container). */
  _publish() {
    const data = this._series.data();
    this._container.dataset.symbol = this._symbol ?? '';
    this._container.dataset.timeframe = this._timeframe;
    this._container.dataset.bars = String(data.length);
    this._container.dataset.updates = String(this._updates);
    this._container.dataset.lastClose = this._last ? String(this._last.close) : '';
    this._container.dataset.lastTime = this._last ? String(this._last.time) : '';
  }
}
