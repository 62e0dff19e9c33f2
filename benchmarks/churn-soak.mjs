// Churn soak client for benchmarks/churn-soak.sh.
//   node benchmarks/churn-soak.mjs --ports 6191,6192,6193 --key KEY --out DIR [--steady-per-node 20]
// Steady clients: STEADY_PER_NODE per node, 30 symbols each from the steady universe (the first 200 of 300 symbols),
// reconnect (same node) and resubscribe on any drop; each checks per symbol that seq never goes backwards and that every
// held symbol gets a quote at least every 30 s. Churn clients: every second 1-3 short-lived clients on random nodes,
// random symbols from all 300, some unsubscribe/resubscribe, disconnect after 2-20 s (half abruptly, no close frame).
// Writes OUT/client-stats.jsonl every 30 s, OUT/held.json (symbols currently held, per node) every 10 s, and
// OUT/client-final.json on exit. SIGUSR1 stops churn; SIGUSR2 closes the steady clients; SIGTERM writes and exits.
import { createRequire } from 'node:module';
import fs from 'node:fs';
const require = createRequire(new URL('../clients/js/package.json', import.meta.url)); // its `ws` (npm ci in clients/js)
const WebSocket = require('ws');

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, arr) => (v.startsWith('--') ? a.concat([[v.slice(2), arr[i + 1]]]) : a), []));
const ports = (args.ports ?? '6191,6192,6193').split(',').map(Number);
const key = args.key ?? 'soak-client-key-00000001';
const out = args.out ?? 'artifacts/soak';
const steadyPerNode = Number(args['steady-per-node'] ?? 20);
const STALL_MS = 30_000;

const real = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'SPY', 'AMZN', 'GOOGL', 'GOOG', 'META', 'NFLX', 'AMD', 'INTC', 'QQQ', 'IWM', 'DIA', 'JPM', 'BAC', 'WFC', 'C', 'GS',
  'MS', 'V', 'MA', 'PYPL', 'DIS', 'KO', 'PEP', 'WMT', 'COST', 'HD', 'LOW', 'NKE', 'MCD', 'SBUX', 'BA', 'CAT', 'DE', 'GE', 'MMM', 'HON',
  'IBM', 'ORCL', 'CRM', 'ADBE', 'CSCO', 'AVGO', 'QCOM', 'TXN', 'MU', 'AMAT', 'LRCX', 'KLAC', 'ASML', 'TSM', 'UBER', 'LYFT', 'ABNB', 'SHOP', 'SQ', 'COIN',
  'XOM', 'CVX', 'COP', 'OXY', 'SLB', 'PFE', 'MRK', 'JNJ', 'ABBV', 'LLY', 'UNH', 'CVS', 'T', 'VZ', 'TMUS', 'CMCSA', 'F', 'GM', 'RIVN', 'LCID',
  'BRK.B', 'BF-B', 'PLTR', 'SNOW', 'NET', 'DDOG', 'ZS', 'CRWD', 'PANW', 'FTNT', 'ROKU', 'SPOT', 'SNAP', 'PINS', 'ZM', 'DOCU', 'TWLO', 'OKTA', 'MDB', 'TEAM'];
const made = [];
for (let i = 1; made.length + real.length < 200; i++) made.push('ZY' + String(i).padStart(3, '0'));
const zz = Array.from({ length: 100 }, (_, i) => 'ZZ' + String(i + 1).padStart(3, '0'));
// Steady universe: 100 real + 100 made-up ZY; churn also uses ZZ001..ZZ100, which only churn clients ever hold.
const steadyUniverse = real.concat(made);
const universe = steadyUniverse.concat(zz);

const pick = (arr, n) => { const a = arr.slice(); for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a.slice(0, n); };
const rnd = (a, b) => a + Math.floor(Math.random() * (b - a + 1));
const now = () => Date.now();
const iso = () => new Date().toISOString();

const stats = {
  started: iso(), steadyConnects: 0, steadyDrops: 0, steadyCloseCodes: {}, churnOpened: 0, churnOpenedOk: 0, churnErrors: 0,
  churnAbrupt: 0, churnClosed: 0, churnCloseCodes: {}, quotes: 0, steadyQuotes: 0, churnQuotes: 0,
  errorsByCode: {}, errorSamples: [], seqRegressions: [], seqRegressionsAcrossReconnect: [], seqRegressionCount: 0,
  seqRegressionAcrossReconnectCount: 0, seqEquals: 0, stalls: [], stallCount: 0, openStalls: 0, snapshotsNoSeq: 0,
  subscribeLatencyMax: 0, unexpectedCloses: [], welcomeNodes: {},
};
const note = (arr, item, max = 200) => { if (arr.length < max) arr.push(item); };

// ---------- steady clients ----------
class Steady {
  constructor(id, port, symbols) {
    this.id = id; this.port = port; this.symbols = symbols; this.ws = null; this.connected = false;
    this.last = new Map();      // symbol -> { seq, at } on the current connection
    this.prevConn = new Map();  // symbol -> seq seen on earlier connections
    this.stalled = new Map();   // symbol -> since
    this.subscribedAt = 0; this.conn = 0; this.stopped = false; this.backoff = 500;
    this.connect();
  }
  connect() {
    if (this.stopped) return;
    const ws = new WebSocket(`ws://127.0.0.1:${this.port}/ws?apiKey=${key}`);
    this.ws = ws; this.conn++;
    ws.on('open', () => { stats.steadyConnects++; this.connected = true; this.backoff = 500; });
    ws.on('message', data => this.onFrame(data));
    ws.on('error', () => {});
    ws.on('close', (code, reason) => {
      const wasSubscribed = this.subscribedAt > 0;
      this.connected = false; this.subscribedAt = 0;
      for (const [s, v] of this.last) this.prevConn.set(s, Math.max(this.prevConn.get(s) ?? 0, v.seq));
      this.last.clear(); this.stalled.clear();
      if (this.stopped) return;
      stats.steadyDrops++; stats.steadyCloseCodes[code] = (stats.steadyCloseCodes[code] ?? 0) + 1;
      if (wasSubscribed) note(stats.unexpectedCloses, { t: iso(), client: this.id, port: this.port, code, reason: String(reason) });
      setTimeout(() => this.connect(), this.backoff + Math.random() * 250);
      this.backoff = Math.min(this.backoff * 2, 4000);
    });
  }
  onFrame(data) {
    let msgs; try { msgs = JSON.parse(data.toString()); } catch { return; }
    for (const m of msgs) {
      if (m.type === 'welcome') {
        stats.welcomeNodes[m.node] = (stats.welcomeNodes[m.node] ?? 0) + 1;
        this.sentAt = now();
        this.ws.send(JSON.stringify({ type: 'subscribe', symbols: this.symbols, id: 's' + this.conn }));
      } else if (m.type === 'subscribed') {
        this.subscribedAt = now();
        stats.subscribeLatencyMax = Math.max(stats.subscribeLatencyMax, now() - this.sentAt);
      } else if (m.type === 'error') {
        stats.errorsByCode[m.code] = (stats.errorsByCode[m.code] ?? 0) + 1;
        note(stats.errorSamples, { t: iso(), who: 'steady' + this.id, port: this.port, m });
        // retry the subscribe a little later (CAPACITY etc.)
        if (!this.subscribedAt) setTimeout(() => { if (this.ws.readyState === 1) { this.sentAt = now(); this.ws.send(JSON.stringify({ type: 'subscribe', symbols: this.symbols, id: 'r' + this.conn })); } }, 2000);
      } else if (m.type === 'quote') {
        stats.quotes++; stats.steadyQuotes++;
        const t = now(); const prev = this.last.get(m.symbol);
        if (prev) {
          if (m.seq < prev.seq) { stats.seqRegressionCount++; note(stats.seqRegressions, { t: iso(), client: this.id, port: this.port, symbol: m.symbol, from: prev.seq, to: m.seq, snapshot: !!m.snapshot }); }
          else if (m.seq === prev.seq && !m.snapshot) stats.seqEquals++;
        } else if (this.prevConn.has(m.symbol) && m.seq < this.prevConn.get(m.symbol)) {
          stats.seqRegressionAcrossReconnectCount++;
          note(stats.seqRegressionsAcrossReconnect, { t: iso(), client: this.id, port: this.port, symbol: m.symbol, before: this.prevConn.get(m.symbol), after: m.seq, snapshot: !!m.snapshot });
        }
        this.last.set(m.symbol, { seq: Math.max(m.seq, prev?.seq ?? 0), at: t });
        const since = this.stalled.get(m.symbol);
        if (since !== undefined) {
          this.stalled.delete(m.symbol); stats.openStalls--;
          const s = stats.stalls.find(x => x.client === this.id && x.symbol === m.symbol && x.end === undefined);
          if (s) { s.end = iso(); s.seconds = Math.round((t - since) / 1000); }
        }
      }
    }
  }
  check(t) {
    if (!this.connected || !this.subscribedAt) return;
    for (const s of this.symbols) {
      const last = this.last.get(s)?.at ?? this.subscribedAt;
      if (t - last > STALL_MS && !this.stalled.has(s)) {
        this.stalled.set(s, last); stats.stallCount++; stats.openStalls++;
        note(stats.stalls, { start: new Date(last).toISOString(), detected: iso(), client: this.id, port: this.port, symbol: s, gotAny: this.last.has(s), lastSeq: this.last.get(s)?.seq }, 500);
      }
    }
  }
  stop() { this.stopped = true; try { this.ws.close(1000); } catch { } }
}

const steady = [];
let id = 0;
for (const port of ports) for (let i = 0; i < steadyPerNode; i++) steady.push(new Steady(id++, port, pick(steadyUniverse, 30)));
setInterval(() => { const t = now(); for (const c of steady) c.check(t); }, 2000);

// ---------- churn clients ----------
let churning = true;
const churnLive = new Set();
function churnOne() {
  const port = ports[rnd(0, ports.length - 1)];
  const syms = pick(universe, rnd(1, 40));
  const life = rnd(2000, 20000);
  const abrupt = Math.random() < 0.5;
  stats.churnOpened++;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?apiKey=${key}`);
  const c = { ws, held: new Set(), port, last: new Map() };
  churnLive.add(c);
  const timers = [];
  ws.on('open', () => { stats.churnOpenedOk++; });
  ws.on('error', () => { stats.churnErrors++; });
  ws.on('message', data => {
    let msgs; try { msgs = JSON.parse(data.toString()); } catch { return; }
    for (const m of msgs) {
      if (m.type === 'welcome') {
        ws.send(JSON.stringify({ type: 'subscribe', symbols: syms, id: 1 }));
        if (Math.random() < 0.5) {
          timers.push(setTimeout(() => {
            if (ws.readyState !== 1) return;
            const drop = pick(syms, rnd(1, Math.max(1, syms.length >> 1)));
            ws.send(JSON.stringify({ type: 'unsubscribe', symbols: drop, id: 2 }));
            for (const s of drop) { c.held.delete(s); c.last.delete(s); }
            if (Math.random() < 0.6) timers.push(setTimeout(() => {
              if (ws.readyState !== 1) return;
              ws.send(JSON.stringify({ type: 'subscribe', symbols: drop, id: 3 }));
            }, rnd(200, 3000)));
          }, rnd(500, Math.max(600, life - 1000))));
        }
      } else if (m.type === 'subscribed') { for (const s of m.symbols) c.held.add(s); }
      else if (m.type === 'error') { stats.errorsByCode[m.code] = (stats.errorsByCode[m.code] ?? 0) + 1; note(stats.errorSamples, { t: iso(), who: 'churn', port, m }); }
      else if (m.type === 'quote') {
        stats.quotes++; stats.churnQuotes++;
        const p = c.last.get(m.symbol);
        if (p !== undefined && m.seq < p) { stats.seqRegressionCount++; note(stats.seqRegressions, { t: iso(), client: 'churn', port, symbol: m.symbol, from: p, to: m.seq, snapshot: !!m.snapshot }); }
        c.last.set(m.symbol, Math.max(m.seq, p ?? 0));
      }
    }
  });
  ws.on('close', code => { stats.churnCloseCodes[code] = (stats.churnCloseCodes[code] ?? 0) + 1; churnLive.delete(c); for (const t of timers) clearTimeout(t); });
  timers.push(setTimeout(() => {
    if (abrupt) { stats.churnAbrupt++; ws.terminate(); } else { stats.churnClosed++; ws.close(1000); }
  }, life));
}
const churnTimer = setInterval(() => { if (!churning) return; const n = rnd(1, 3); for (let i = 0; i < n; i++) churnOne(); }, 1000);

// ---------- reporting ----------
function held() {
  const perPort = {}; const all = new Set();
  for (const p of ports) perPort[p] = new Set();
  for (const c of steady) if (c.subscribedAt) for (const s of c.symbols) { perPort[c.port].add(s); all.add(s); }
  for (const c of churnLive) for (const s of c.held) { perPort[c.port].add(s); all.add(s); }
  return { t: iso(), all: [...all].sort(), perPort: Object.fromEntries(Object.entries(perPort).map(([k, v]) => [k, [...v].sort()])),
    steadyConnected: steady.filter(c => c.subscribedAt).length, churnLive: churnLive.size };
}
setInterval(() => fs.writeFileSync(`${out}/held.json`, JSON.stringify(held())), 10_000);
const summary = () => ({ t: iso(), ...stats, seqRegressions: stats.seqRegressions.slice(0, 20), seqRegressionsAcrossReconnect: stats.seqRegressionsAcrossReconnect.slice(0, 20),
  stalls: stats.stalls.slice(0, 50), errorSamples: stats.errorSamples.slice(0, 20), unexpectedCloses: stats.unexpectedCloses.slice(0, 80),
  steadyConnected: steady.filter(c => c.subscribedAt).length, churnLive: churnLive.size, mem: process.memoryUsage().rss });
setInterval(() => {
  const s = summary();
  fs.appendFileSync(`${out}/client-stats.jsonl`, JSON.stringify({ t: s.t, quotes: s.quotes, steadyQuotes: s.steadyQuotes, churnOpened: s.churnOpened, churnOpenedOk: s.churnOpenedOk,
    steadyDrops: s.steadyDrops, seqRegressionCount: s.seqRegressionCount, seqRegAcross: s.seqRegressionAcrossReconnectCount, stallCount: s.stallCount, openStalls: s.openStalls,
    errorsByCode: s.errorsByCode, steadyConnected: s.steadyConnected, churnLive: s.churnLive, seqEquals: s.seqEquals }) + '\n');
}, 30_000);

process.on('SIGUSR1', () => { churning = false; clearInterval(churnTimer); console.log(iso(), 'churn stopped'); });
process.on('SIGUSR2', () => { fs.writeFileSync(`${out}/held-before-close.json`, JSON.stringify(held())); for (const c of steady) c.stop(); console.log(iso(), 'steady closed'); });
process.on('SIGTERM', () => {
  const s = summary(); s.allStalls = stats.stalls; s.allSeqRegressions = stats.seqRegressions; s.allSeqRegAcross = stats.seqRegressionsAcrossReconnect;
  fs.writeFileSync(`${out}/client-final.json`, JSON.stringify(s, null, 1));
  console.log(iso(), 'final written'); process.exit(0);
});
console.log(iso(), `started: ${steady.length} steady clients on ${ports.join(',')}`);
