// A real AkkaQuotes host process (the built Quotes.Host.dll, on its built-in simulator) for the node tests: started on
// a loopback port, ready when /health/ready says so, stopped with SIGTERM (its sockets close with 1001) and started
// again on the same port.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';

/** A loopback port nobody listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

/**
 * Starts the host at `dll` on http://127.0.0.1:`port` with the settings in `env` (environment variables) and resolves
 * once it is ready; rejects with its output if it exits or is not ready within a minute.
 * @returns {Promise<import('node:child_process').ChildProcess & {output: string[]}>}
 */
export async function startHost(dll, port, env) {
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('dotnet', [dll], {
    cwd: path.dirname(dll),
    env: { ...process.env, ASPNETCORE_URLS: base, Akka__Hostname: '127.0.0.1', Akka__PublicHost: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stdout.on('data', d => output.push(String(d)));
  child.stderr.on('data', d => output.push(String(d)));
  child.output = output;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the host exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      const response = await fetch(`${base}/health/ready`);
      if (response.ok) return child;
    } catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the host did not become ready:\n${output.join('')}`);
}

/** SIGTERM, then waits until the process has exited. */
export async function stopHost(child) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}
