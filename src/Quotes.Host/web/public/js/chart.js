// The candlestick chart of the selected symbol with its volume bars: history from REST, then the current candle built
// by live quotes from each aggregate's own open, high, low, close and volume.
import { createChart, CandlestickSeries, HistogramSeries, ColorType } from '/vendor/lightweight-charts.standalone.production.mjs';
import { TIMEFRAMES, historyQuery, periodMinutesQuery, candlesFromHistory, joinLive, applyQuote, candlesToDrop } from './candles.js';

const intraday = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false });
const daily = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric' });
const full = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', dateStyle: 'medium', timeStyle: 'short' });
const UP = '#2ea043';
const DOWN = '#da3633';

/**
 * How long the chart keeps each symbol's quotes: enough to rebuild a five-minute candle after a switch when the
 * provider has no minute bars for it (the simulator outside the regular session).
 */
const RECENT_MS = 360_000;

/** A candle's volume bar, coloured as the candle. */
const volumeBar = c => ({ time: c.time, value: c.volume ?? 0, color: c.close >= c.open ? 'rgba(46, 160, 67, .45)' : 'rgba(218, 54, 51, .45)' });

export class PriceChart {
  constructor(container, message, api) {
    this._container = container;
    this._message = message;
    this._api = api;
    this._symbol = null;
    this._timeframe = '1m';
    this._last = null;
    this._previous = null; // the last quote applied: its seq and day values tell skipped quotes apart
    this._recent = new Map(); // symbol → its quotes of the last six minutes, to rebuild the current candle after a switch
    this._live = null; // the seqs of the quotes that built the current candle, and whether it began as a history bar
    this._historyTime = null;
    this._loading = null;
    this._updates = 0;
    this._bars = 0; // candles and volume bars in the series, counted when they change (data() copies them all)
    this._volumeBars = 0;
    this._chart = createChart(container, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#8b949e' },
      grid: { vertLines: { color: '#1f2630' }, horzLines: { color: '#1f2630' } },
      rightPriceScale: { borderColor: '#2a3140', scaleMargins: { top: 0.08, bottom: 0.25 } },
      timeScale: {
        borderColor: '#2a3140', timeVisible: true, secondsVisible: false,
        tickMarkFormatter: (time, type) => (type <= 2 ? daily : intraday).format(new Date(time * 1000)),
      },
      localization: { timeFormatter: time => full.format(new Date(time * 1000)) + ' ET' },
    });
    this._series = this._chart.addSeries(CandlestickSeries, {
      upColor: UP, downColor: DOWN, borderVisible: false, wickUpColor: UP, wickDownColor: DOWN,
    });
    // Volume under the candles, on its own scale: the bottom fifth of the pane.
    this._volume = this._chart.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    this._chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  }

  get timeframe() { return this._timeframe; }

  /**
   * Shows `symbol` in `timeframe`: loads its history, then follows live quotes. History bars hold whole minutes up to
   * the one in progress when it was asked for (and maybe part of that one); the quotes kept from before the switch, or
   * come while loading, that the history lacks are applied on top, so the live candle has all of its period, each trade
   * once, in the new timeframe's boundaries. For 5m and 1h the current period is rebuilt from its minute bars, which
   * tell whether the provider's bars include the minute in progress (see joinLive).
   */
  async show(symbol, timeframe = this._timeframe) {
    if (!TIMEFRAMES[timeframe]) return;
    this._symbol = symbol;
    this._timeframe = timeframe;
    this._last = null;
    this._previous = null;
    this._live = null;
    this._historyTime = null;
    this._updates = 0;
    this._publish();
    this._loading?.abort();
    const loading = new AbortController();
    this._loading = loading;
    this._message.textContent = `Loading ${symbol} history…`;
    const since = Date.now();
    let replay = quote => quote.timestamp - 1 >= Math.floor(since / 60_000) * 60_000;
    try {
      const history = await this._api.historical(symbol, historyQuery(timeframe), loading.signal);
      if (loading.signal.aborted) return;
      let minuteBars = history.bars;
      let asked = since;
      if (timeframe === '5m' || timeframe === '1h') {
        asked = Date.now();
        try {
          minuteBars = (await this._api.historical(symbol, periodMinutesQuery(timeframe, since, asked), loading.signal)).bars;
        } catch {
          if (loading.signal.aborted) return;
          minuteBars = null; // the history as it came, and the current minute replayed
        }
      }
      const joined = joinLive(candlesFromHistory(history.bars), minuteBars, timeframe, since, asked);
      const candles = joined.candles;
      replay = joined.replay;
      this._setCandles(candles);
      this._last = candles.at(-1) ?? null;
      this._historyTime = this._last?.time ?? null;
      this._chart.timeScale().fitContent();
      if (candles.length > 150) this._chart.timeScale().setVisibleLogicalRange({ from: candles.length - 150, to: candles.length + 2 });
      this._message.textContent = candles.length ? '' : `No history for ${symbol} in this range; live candles will appear as quotes arrive.`;
    } catch (error) {
      if (loading.signal.aborted) return;
      this._setCandles([]);
      this._message.textContent = `Could not load ${symbol} history: ${error.message}`;
    } finally {
      if (this._loading === loading) {
        this._loading = null;
        for (const quote of this._recent.get(symbol) ?? []) if (replay(quote)) this._apply(quote);
      }
      this._publish();
    }
  }

  /**
   * A new session (the client reconnected, maybe to a restarted server whose symbols started `seq` over): the quotes
   * kept from the last one are dropped and the shown symbol's history read again. That fills the minutes missed while
   * disconnected and lets the candle follow the new session's `seq`, which a kept quote of the old one would hold back
   * (a quote whose `seq` is not above the last applied is taken for a repeat).
   */
  reconnected() {
    this._recent.clear();
    if (this._symbol) this.show(this._symbol, this._timeframe);
  }

  /** A symbol the page no longer follows: its kept quotes go (they would otherwise stay until the next reconnect). */
  forget(symbol) {
    if (symbol !== this._symbol) this._recent.delete(symbol);
  }

  /** A live quote: moves the current candle (or starts the next) when it is for the shown symbol. */
  onQuote(quote) {
    if (typeof quote.price !== 'number' || !quote.timestamp) return;
    const recent = this._recent.get(quote.symbol) ?? [];
    recent.push(quote);
    while (recent.length && recent[0].timestamp < quote.timestamp - RECENT_MS) recent.shift();
    this._recent.set(quote.symbol, recent);
    if (quote.symbol === this._symbol && !this._loading) this._apply(quote);
  }

  _apply(quote) {
    const candle = applyQuote(this._last, quote, this._timeframe, this._previous);
    if (!candle) return;
    this._series.update(candle);
    this._volume.update(volumeBar(candle));
    const same = this._last?.time === candle.time;
    if (!same) this._added();
    this._live = same && this._live
      ? { ...this._live, to: quote.seq }
      : { from: quote.seq, to: quote.seq, fromHistory: same };
    this._last = candle;
    this._previous = quote;
    this._updates++;
    this._publish();
  }

  _setCandles(candles) {
    this._series.setData(candles);
    this._volume.setData(candles.map(volumeBar));
    this._count();
  }

  /**
   * A candle was appended: counted, and past the limit the oldest are dropped from both series, keeping the visible
   * range where it was. Once per new candle, not per quote: the series' data() copies every candle.
   */
  _added() {
    this._count();
    const drop = candlesToDrop(this._bars);
    if (!drop) return;
    const range = this._chart.timeScale().getVisibleLogicalRange();
    this._series.setData(this._series.data().slice(drop));
    this._volume.setData(this._volume.data().slice(drop));
    this._count();
    if (range) this._chart.timeScale().setVisibleLogicalRange({ from: range.from - drop, to: range.to - drop });
  }

  _count() {
    this._bars = this._series.data().length;
    this._volumeBars = this._volume.data().length;
  }

  /**
   * State for people and tests (data-* attributes of the container): candle and volume bar counts, live updates, the current candle
   * (time, open, high, low, close, volume), the seqs of the quotes that built it and whether it began as a history bar.
   */
  _publish() {
    const data = this._container.dataset;
    const last = this._last;
    data.symbol = this._symbol ?? '';
    data.timeframe = this._timeframe;
    data.bars = String(this._bars);
    data.volumeBars = String(this._volumeBars);
    data.updates = String(this._updates);
    data.historyTime = this._historyTime === null ? '' : String(this._historyTime);
    for (const key of ['time', 'open', 'high', 'low', 'close', 'volume']) {
      data['last' + key[0].toUpperCase() + key.slice(1)] = last ? String(last[key] ?? '') : '';
    }
    data.liveSeqs = this._live ? `${this._live.from}-${this._live.to}` : '';
    data.liveFromHistory = this._live ? String(this._live.fromHistory) : '';
  }
}
