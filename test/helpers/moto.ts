// moto (python3 -m moto.server) for the over-the-wire adapter tests: one server per test file on a free loopback port,
// started as its own process group and stopped by that group's id, so no moto (nor a child of it) outlives the file.
// Where moto is not installed (a laptop), motoSkipReason() says so in one line and the tests skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface MotoServer {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  region: string;
  /** Client options for any AWS SDK v3 client: the endpoint, the region and dummy credentials. */
  clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
let skipReason: string | undefined | null = null;

/** Why the moto tests cannot run here, or undefined when they can. Asked once per process. */
export function motoSkipReason(): string | undefined {
  if (skipReason !== null) return skipReason;
  const probe = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) skipReason = `moto not available: python3 could not run (${probe.error.message})`;
  else if (probe.status !== 0) skipReason = `moto not available: python3 -c 'import moto.server' failed (${lastLine(probe.stderr)})`;
  else skipReason = undefined;
  // One line in the run's output, so a skip is seen and explained, not silent.
  if (skipReason !== undefined) console.warn(`moto tests skipped: ${skipReason}`);
  return skipReason;
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? 'no output';
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the loopback listener');
  return address.port;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative: the whole process group moto leads (detached), not only the python3 process.
    process.kill(-child.pid, signal);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ESRCH')) throw error;
  }
}

async function waitUntilServing(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`moto exited before serving: ${output()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`moto did not serve ${endpoint} within ${START_TIMEOUT_MS} ms: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts moto on a free port of 127.0.0.1 and resolves once it answers. Call stop() in afterAll. */
export async function startMoto(region = 'us-east-1'): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep the start of its output (the reason it failed) and not every request line after it.
    if (stderr.length < 4_000) stderr += chunk.toString('utf8');
  });
  // If the test process ends without afterAll (a crash), the server must not stay behind.
  const onExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilServing(endpoint, child, () => lastLine(stderr));
  } catch (error) {
    killGroup(child, 'SIGKILL');
    process.off('exit', onExit);
    throw error;
  }
  return {
    endpoint,
    region,
    clientConfig: { endpoint, region, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } },
    async stop() {
      killGroup(child, 'SIGTERM');
      const killer = setTimeout(() => killGroup(child, 'SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
      process.off('exit', onExit);
    },
  };
}
