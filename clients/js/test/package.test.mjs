// The npm package: `npm pack` makes a tarball (types generated from the JSDoc by prepack), which installs into a scratch
// project and imports there, in JavaScript and, with its types, in TypeScript. React stays a peer: not in the tarball.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const packageDir = path.resolve(import.meta.dirname, '..');
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('npm pack makes a tarball that installs into a scratch project, imports, and type-checks', () => {
  run('npm', ['run', '--silent', 'check'], packageDir); // tsc --noEmit over the sources' JSDoc types
  const scratch = mkdtempSync(path.join(tmpdir(), 'akkaquotes-client-'));
  try {
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], packageDir));
    const files = packed.files.map(f => f.path).sort();
    for (const file of ['src/quotes-client.js', 'src/quotes-react.js', 'types/quotes-client.d.ts', 'types/quotes-react.d.ts']) {
      assert.ok(files.includes(file), `${file} is in the tarball: ${files.join(', ')}`);
    }
    assert.ok(!files.some(f => f.startsWith('node_modules/') || f.startsWith('test/')), 'nothing but the package itself');

    writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--offline', `./${packed.filename}`], scratch);
    assert.ok(!existsSync(path.join(scratch, 'node_modules', 'react')), 'react is an optional peer: not installed with the client');

    const imported = run('node', ['--input-type=module', '-e', `
      const { QuotesClient, QuotesError, MAX_SYMBOLS } = await import('akkaquotes-client');
      const client = new QuotesClient({ url: 'ws://127.0.0.1:1/ws', WebSocket: class {} });
      let refused;
      try { client.watch(Array.from({ length: 51 }, (_, i) => 'S' + i), () => {}); } catch (e) { refused = e instanceof QuotesError && e.code; }
      const react = await import('akkaquotes-client/react').then(() => 'loaded', e => e.code);
      // The React entry resolves through the package's exports (a wrong path there fails here, not only at the import).
      const { existsSync } = await import('node:fs');
      const entry = new URL(import.meta.resolve('akkaquotes-client/react'));
      console.log(JSON.stringify({ max: MAX_SYMBOLS, watch: typeof client.watch, refused, react, reactEntry: existsSync(entry) && entry.pathname.endsWith('/quotes-react.js') }));`], scratch);
    // Importing the React entry fails only for want of React itself (an optional peer, not installed here).
    assert.deepEqual(JSON.parse(imported), { max: 50, watch: 'function', refused: 'SYMBOL_LIMIT', react: 'ERR_MODULE_NOT_FOUND', reactEntry: true });

    writeFileSync(path.join(scratch, 'use.ts'), `
      import { QuotesClient, type Quote } from 'akkaquotes-client';
      const client = new QuotesClient({ url: 'ws://localhost:5000/ws', apiKey: 'key' });
      const unwatch: () => void = client.watch(['AAPL'], (quote: Quote | null) => console.log(quote?.price, quote?.stale));
      const price: number | undefined = client.quote('AAPL')?.price;
      unwatch();
      // @ts-expect-error watch takes symbols first
      client.watch(() => {});
      export { price };`);
    writeFileSync(path.join(scratch, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, lib: ['es2022', 'dom'] },
      files: ['use.ts'],
    }));
    run(path.join(packageDir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('the README\'s examples type-check against the generated declarations (test/types/readme.tsx)', () => {
  const tsc = project => {
    try {
      run(path.join(packageDir, 'node_modules', '.bin', 'tsc'), ['-p', project], packageDir);
    } catch (error) {
      assert.fail(`tsc -p ${project}:\n${error.stdout}${error.stderr}`);
    }
  };
  // The declarations a user gets (tsc -p . is what prepack runs); the sample imports them by the package's own name.
  tsc('.');
  tsc('test/types');
});
