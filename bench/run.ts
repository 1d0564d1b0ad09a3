// `npm run bench -- <name> [--json] [...]`: runs bench/<name>.ts, whose `run(args)` returns the figures.
// Every benchmark measures ratios against a peer run side by side in the same process, never absolute timings
// asserted anywhere.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [--json]\n`);
  process.exit(2);
}
const module = (await import(join(here, `${name}.ts`))) as { run: (args: string[]) => Promise<unknown>; nodeArgs?: string[] };
// A benchmark may need Node flags (e.g. --expose-gc to measure memory): restart once under them.
if (module.nodeArgs && module.nodeArgs.length > 0 && process.env.NEWSALERT_BENCH_CHILD !== '1') {
  const { spawnSync } = await import('node:child_process');
  const child = spawnSync(process.execPath, [...module.nodeArgs, '--import', 'tsx', fileURLToPath(import.meta.url), name, ...args], {
    stdio: 'inherit',
    env: { ...process.env, NEWSALERT_BENCH_CHILD: '1' },
  });
  process.exit(child.status ?? 1);
}
const result = await module.run(args);
if (args.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
else process.stdout.write(JSON.stringify(result, null, 2) + '\n');
