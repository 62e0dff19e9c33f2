// End-to-end: the dashboard in real headless Chromium (Debian's chromium, driven by playwright-core) against a real
// AkkaQuotes host process with its built-in simulator. Run by Quotes.Host.Tests/DashboardSpecs, which passes the host's path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, startHost, stopHost } from './host.mjs';

const hostDll = process.env.AKKAQUOTES_HOST_DLL;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = process.env.AKKAQUOTES_ARTIFACTS ?? path.resolve('artifacts');
const KEY = 'dashboard-test-key';
const UP = 'rgb(63, 185, 80)';
const DOWN = 'rgb(248, 81, 73)';

let port, base, host, browser, context, page;
const consoleErrors = [];
const outside = [];
let restarting = false;

const startDashboardHost = () => startHost(hostDll, port, { Auth__ApiKeys__0: KEY, Simulator__EventsPerSecond: '4' });

function watch(p) {
  p.on('console', message => {
    if (message.type() !== 'error') return;
    // While the host is down on purpose, Chromium itself reports the refused WebSocket attempts; nothing else is allowed.
    if (restarting && /WebSocket connection to .* failed/.test(message.text())) return;
    consoleErrors.push(message.text());
  });
  p.on('pageerror', error => consoleErrors.push(`page error: ${error.message}`));
  p.on('request', request => { if (!request.url().startsWith(base) && !request.url().startsWith('data:')) outside.push(request.url()); });
  p.on('websocket', socket => { if (!socket.url().startsWith(base.replace('http', 'ws'))) outside.push(socket.url()); });
}

const shot = name => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
const card = symbol => page.locator(`.card[data-symbol="${symbol}"]`);
const row = symbol => page.locator(`#watchlist tbody tr[data-symbol="${symbol}"]`);
const rowCount = () => page.locator('#watchlist tbody tr').count();
const text = locator => locator.textContent().then(t => t.trim());

async function add(symbol) {
  await page.fill('#search', symbol);
  await page.press('#search', 'Enter');
}

before(async () => {
  assert.ok(hostDll, 'set AKKAQUOTES_HOST_DLL to the built Quotes.Host.dll (DashboardSpecs does)');
  mkdirSync(artifacts, { recursive: true });
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  host = await startDashboardHost();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-features=Translate,OptimizationHints,MediaRouter'],
  });
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  watch(page);
});

after(async () => {
  await browser?.close();
  await stopHost(host);
});

test('the page takes the key from ?apiKey= once, hides it from the address bar and goes live', async () => {
  await page.goto(`${base}/?apiKey=${KEY}`);
  assert.equal(new URL(page.url()).searchParams.get('apiKey'), null);
  await page.waitForSelector('#connection[data-state="open"]');
  await page.waitForSelector('#upstream[data-state="connected"]');
  assert.match(await text(page.locator('#market .label')), /^Market: (open|closed|extended hours)$/);
});

test('cards show prices that change without a reload, coloured by the sign of the change', async () => {
  for (const symbol of ['AAPL', 'TSLA', 'NVDA']) {
    await page.waitForFunction(s => /\d/.test(document.querySelector(`.card[data-symbol="${s}"] .price`).textContent), symbol);
  }
  const first = await text(card('AAPL').locator('.price'));
  const firstSeq = Number(await card('AAPL').getAttribute('data-seq'));
  await page.waitForFunction(({ price, seq }) => {
    const c = document.querySelector('.card[data-symbol="AAPL"]');
    return Number(c.dataset.seq) >= seq + 2 && c.querySelector('.price').textContent.trim() !== price;
  }, { price: first, seq: firstSeq }, { timeout: 20_000 });

  const colours = await page.$$eval('.card', cards => cards.map(c => ({
    change: Number(c.dataset.change),
    classes: c.querySelector('.change').className,
    colour: getComputedStyle(c.querySelector('.change')).color,
  })));
  for (const { change, classes, colour } of colours) {
    if (change > 0) assert.deepEqual([classes.includes('up'), colour], [true, UP]);
    else if (change < 0) assert.deepEqual([classes.includes('down'), colour], [true, DOWN]);
    else assert.ok(!classes.includes('up') && !classes.includes('down'));
  }
  await shot('dashboard');
});

test('a symbol found through search is added to the watchlist and streams', async () => {
  await page.fill('#search', '');
  await page.type('#search', 'netfl', { delay: 30 });
  const suggestion = page.locator('#suggestions li[data-symbol="NFLX"]');
  await suggestion.waitFor();
  assert.match(await text(suggestion), /Netflix/i);
  await suggestion.click();
  await row('NFLX').waitFor();
  await page.waitForFunction(() => /\d/.test(document.querySelector('#watchlist tr[data-symbol="NFLX"] td[data-field="price"]').textContent));
  const updated = await text(row('NFLX').locator('td[data-field="timestamp"]'));
  await page.waitForFunction(u => document.querySelector('#watchlist tr[data-symbol="NFLX"] td[data-field="timestamp"]').textContent.trim() !== u, updated, { timeout: 20_000 });
});

test('the watchlist sorts by a column and back', async () => {
  await page.click('#watchlist th[data-sort="price"]');
  const prices = async () => page.$$eval('#watchlist tbody tr td[data-field="price"]', cells => cells.map(c => Number(c.textContent.replace(/,/g, ''))));
  const ascending = await prices();
  assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
  assert.equal(await page.getAttribute('#watchlist th[data-sort="price"]', 'aria-sort'), 'ascending');
  await page.click('#watchlist th[data-sort="price"]');
  await page.waitForSelector('#watchlist th[data-sort="price"][aria-sort="descending"]');
  const descending = await prices();
  assert.deepEqual(descending, [...descending].sort((a, b) => b - a));
  await page.click('#watchlist th[data-sort="symbol"]');
});

test('the chart draws history, moves with live quotes and switches timeframe', async () => {
  await card('TSLA').click();
  await page.waitForSelector('#chart[data-symbol="TSLA"][data-timeframe="1m"]');
  await page.waitForFunction(() => Number(document.getElementById('chart').dataset.bars) > 30, null, { timeout: 20_000 });
  const updates = Number(await page.getAttribute('#chart', 'data-updates'));
  await page.waitForFunction(n => Number(document.getElementById('chart').dataset.updates) >= n + 3, updates, { timeout: 20_000 });
  assert.ok(await page.locator('#chart canvas').count() > 0);
  await shot('chart-1m');

  await page.click('#timeframes button[data-timeframe="1d"]');
  await page.waitForSelector('#chart[data-timeframe="1d"]');
  await page.waitForFunction(() => Number(document.getElementById('chart').dataset.bars) > 100, null, { timeout: 20_000 });
  await page.click('#timeframes button[data-timeframe="1m"]');
  await page.waitForFunction(() => document.getElementById('chart').dataset.timeframe === '1m' && Number(document.getElementById('chart').dataset.bars) > 30);
  // The options panel follows the selection.
  await page.waitForFunction(() => document.getElementById('options-symbol').textContent === 'TSLA' && document.querySelectorAll('#options tbody tr').length > 5);
  assert.ok(await page.locator('#options tbody tr.atm').count() === 1);
});

test('an invalid symbol and the 51st symbol get the protocol\'s errors as friendly messages', async () => {
  await add('BAD$');
  await page.waitForFunction(() => /not a valid ticker/.test(document.getElementById('watch-message').textContent));
  assert.equal(await row('BAD$').count(), 0);

  let n = await rowCount();
  for (let i = 1; n < 50; i++) {
    const symbol = `QX${String(i).padStart(2, '0')}`;
    await add(symbol);
    await row(symbol).waitFor();
    n = await rowCount();
  }
  await add('QXZZ');
  await page.waitForFunction(() => /at most 50 symbols/.test(document.getElementById('watch-message').textContent));
  assert.equal(await rowCount(), 50);
  assert.equal(await row('QXZZ').count(), 0);
  await shot('watchlist-limit');
});

test('the watchlist survives a reload, and the key is kept for the tab', async () => {
  const before = await page.$$eval('#watchlist tbody tr', rows => rows.map(r => r.dataset.symbol).sort());
  await page.reload();
  await page.waitForSelector('#connection[data-state="open"]');
  const after = await page.$$eval('#watchlist tbody tr', rows => rows.map(r => r.dataset.symbol).sort());
  assert.deepEqual(after, before);
  await page.waitForFunction(() => /\d/.test(document.querySelector('#watchlist tr[data-symbol="QX01"] td[data-field="price"]').textContent));
});

test('when the host goes away and comes back, the page reconnects and the same symbols stream again', async () => {
  assert.deepEqual(consoleErrors, [], 'no console errors before the restart');
  const symbols = await page.$$eval('#watchlist tbody tr', rows => rows.map(r => r.dataset.symbol));
  restarting = true;
  await stopHost(host); // SIGTERM: the node closes its sockets with 1001
  await page.waitForSelector('#connection[data-state="reconnecting"]');
  const stamps = await page.$$eval('#watchlist tbody tr', rows => Object.fromEntries(rows.map(r => [r.dataset.symbol, r.querySelector('td[data-field="timestamp"]').textContent])));
  host = await startDashboardHost();
  await page.waitForSelector('#connection[data-state="open"]', { timeout: 60_000 });
  restarting = false;
  // Every symbol of the watchlist (the new host knew none of them) gets fresh quotes: they were all re-subscribed.
  await page.waitForFunction(old => [...document.querySelectorAll('#watchlist tbody tr')]
    .every(r => r.querySelector('td[data-field="timestamp"]').textContent !== old[r.dataset.symbol]), stamps, { timeout: 30_000 });
  assert.deepEqual(await page.$$eval('#watchlist tbody tr', rows => rows.map(r => r.dataset.symbol)), symbols);
  await shot('reconnected');
});

test('no console errors and no request outside the host', () => {
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(outside, []);
});

test('simulated prices are labelled as such, and error texts are shown as text, never as markup', async () => {
  // The host runs on its built-in simulator: the feed chip must not say "live".
  await page.waitForFunction(() => document.querySelector('#upstream').dataset.state === 'connected');
  assert.equal(await text(page.locator('#upstream .label')), 'Feed: simulated prices');

  // A start-up failure whose message carries markup (error texts can come from outside): it must stay text.
  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.route('**/js/options.js', route => route.fulfill({
      contentType: 'text/javascript',
      body: 'export class OptionsChain { constructor() { throw new Error(\'<img src=x onerror="window.__injected = 1">\'); } }',
    }));
    await other.goto(`${base}/?apiKey=${KEY}`);
    await other.waitForSelector('#notice:not([hidden])');
    assert.match(await text(other.locator('#notice')), /failed to start: <img src=x onerror=/);
    assert.equal(await other.locator('#notice img').count(), 0);
    assert.equal(await other.evaluate(() => window.__injected), undefined);
  } finally {
    await fresh.close();
  }
});

test('a missing or refused key gets a clear message', async () => {
  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(`${base}/`);
    await other.waitForSelector('#notice:not([hidden])');
    assert.match(await text(other.locator('#notice')), /needs a client key.*\?apiKey=/);
    await other.screenshot({ path: path.join(artifacts, 'missing-key.png') });

    await other.goto(`${base}/?apiKey=not-a-key`);
    await other.waitForFunction(() => /refused this client key/.test(document.getElementById('notice').textContent));
    assert.equal(await other.getAttribute('#connection', 'data-state'), 'closed');
  } finally {
    await fresh.close();
  }
});
