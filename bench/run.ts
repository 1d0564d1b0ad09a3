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
const module = (await import(join(here, `${name}.ts`))) as { run: (args: string[]) => Promise<unknown> };
const result = await module.run(args);
if (args.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
else process.stdout.write(JSON.stringify(result, null, 2) + '\n');
