// End-to-end: examples/ReactWatchlist (/examples/react.html: an import map, React vendored by the build, the hooks from
// /js) in real headless Chromium against a real host process with its built-in simulator. Run by JsClientSpecs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { freePort, startHost, stopHost } from './host.mjs';

const hostDll = process.env.AKKAQUOTES_HOST_DLL;
const KEY = 'test-client-key-0001';
let base, host, browser, page;
const problems = [];

before(async () => {
  assert.ok(hostDll, 'set AKKAQUOTES_HOST_DLL to the built Quotes.Host.dll (JsClientSpecs does)');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  host = await startHost(hostDll, port, { Auth__ApiKeys__0: KEY, Simulator__EventsPerSecond: '4' });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-features=Translate,OptimizationHints,MediaRouter'],
  });
  page = await browser.newPage();
  page.on('console', message => { if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text()); });
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  page.on('request', request => { if (!request.url().startsWith(base) && !request.url().startsWith('data:')) problems.push(`outside: ${request.url()}`); });
});

after(async () => {
  await browser?.close();
  await stopHost(host);
});

test('the React example renders live quotes through the hooks, from this host only, under its CSP', async () => {
  const response = await page.goto(`${base}/examples/react.html?apiKey=${KEY}&symbols=AAPL,TSLA`);
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'sha256-[A-Za-z0-9+/]+=*';/);
  await page.waitForSelector('#connection[data-connected="true"]');
  const first = await page.waitForFunction(() => {
    const row = document.querySelector('tr[data-symbol="AAPL"]');
    return row && row.dataset.seq !== '' && /^\d+\.\d\d$/.test(row.querySelector('.price').textContent) && Number(row.dataset.seq);
  });
  const seq = await first.jsonValue();
  await page.waitForFunction(s => Number(document.querySelector('tr[data-symbol="AAPL"]').dataset.seq) > s, seq);
  assert.deepEqual(await page.$$eval('tbody tr', rows => rows.map(r => r.dataset.symbol)), ['AAPL', 'TSLA']);
  assert.deepEqual(problems, []);
});

test('the vendored React modules re-export every export of the CommonJS files they wrap', async () => {
  const mismatches = await page.evaluate(async () => {
    const out = {};
    for (const name of ['react', 'react-dom', 'react-dom-client']) {
      const module = await import(`/vendor/${name}.mjs`);
      const named = Object.keys(module).filter(k => k !== 'default').sort();
      const wrapped = Object.keys(module.default).sort();
      out[name] = { missing: wrapped.filter(k => !named.includes(k)), extra: named.filter(k => !wrapped.includes(k)), count: named.length };
    }
    return out;
  });
  for (const [name, { missing, extra, count }] of Object.entries(mismatches)) {
    assert.deepEqual([missing, extra], [[], []], name);
    assert.ok(count >= 3, name);
  }
});
