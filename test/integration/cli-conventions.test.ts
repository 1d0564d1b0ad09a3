// The conventions a shell user expects of `newsalert`: --help on every command and subcommand, --version, exit codes
// 0/1/2, quiet broken pipes, and completion scripts that bash and zsh really run.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '#local/cli.js';
import { CLI, type CommandSpec } from '#local/cli-spec.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'newsalert.mjs');

async function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const input = new PassThrough();
  input.end(stdin);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(args, { stdin: input, stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Every command path of the tree: [], ['serve'], ['feeds'], ['feeds', 'add'], … */
function commandPaths(spec: CommandSpec = CLI, prefix: string[] = []): string[][] {
  return [prefix, ...(spec.subcommands ?? []).flatMap((sub) => commandPaths(sub, [...prefix, sub.name]))];
}

describe('newsalert --help', () => {
  it.each(commandPaths().map((p) => ({ command: p.join(' ') || '(none)', words: p })))(
    'prints the usage of "$command" and exits 0, with --help and with -h',
    async ({ words }) => {
      // Act
      const long = await run([...words, '--help']);
      const short = await run([...words, '-h']);

      // Assess
      expect(long.code).toBe(0);
      expect(long.stderr).toBe('');
      expect(long.stdout).toMatch(/^Usage:\n/);
      expect(long.stdout).toContain(`newsalert ${words.join(' ')}`.trim());
      expect(short).toEqual(long);
    },
  );

  it('prints the help of a subcommand even after its arguments and options', async () => {
    const result = await run(['feeds', 'add', 'https://example.com/', '--name', 'X', '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('newsalert feeds add <url>');
    expect(result.stdout).toContain('--interval SECONDS');
  });

  it.each([['subs', 'add'], ['feeds', 'add'], ['keys', 'create'], ['subs', 'deliveries']])(
    'accepts every option the help of "%s %s" lists (the parser refuses unknown ones)',
    async (...words: string[]) => {
      const help = (await run([...words, '--help'])).stdout;
      const flags = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1] as string).filter((f) => f !== '--help');
      for (const flag of flags) {
        const result = await run([...words, flag, 'x', '--api', 'http://127.0.0.1:9', '--api-key', 'k']);
        expect(result.stderr, flag).not.toMatch(/Unknown option/);
      }
      expect(flags.length).toBeGreaterThan(2);
    },
  );
});

describe('newsalert exit codes', () => {
  it('prints the version of package.json with --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect((await run(['-V'])).stdout).toBe(`${version}\n`);
  });

  it('exits 2 with the command\'s usage on a wrong command line', async () => {
    const unknownOption = await run(['feeds', 'list', '--bogus']);
    const unknownCommand = await run(['frobnicate']);
    const none = await run([]);

    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option '--bogus'");
    expect(unknownOption.stderr).toContain('newsalert feeds');
    expect(unknownCommand.code).toBe(2);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Commands:');
  });

  it('exits 1 when the API cannot be reached', async () => {
    const result = await run(['feeds', 'list', '--api', 'http://127.0.0.1:9', '--api-key', 'x']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the newsalert API');
  });
});

describe('the newsalert executable', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'newsalert-cli-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers --help of a subcommand with exit 0 (compiled JavaScript, no TypeScript at run time)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'feeds', 'validate', '--help']);

    expect(stdout).toContain('newsalert feeds validate <url>');
    expect(readFileSync(path.join(ROOT, 'dist', 'cli.mjs'), 'utf8')).toContain('export');
  });

  it('ends quietly when the reader of its output goes away (inspect | head -1)', () => {
    // Prepare: a feed long enough that its report overflows the pipe after head has gone.
    const items = Array.from(
      { length: 1500 },
      (_, i) => `<item><title>Item ${i} of a long feed</title><link>https://example.com/${i}</link><description>${'Text. '.repeat(30)}</description></item>`,
    ).join('');
    const feed = path.join(dir, 'long.xml');
    writeFileSync(feed, `<?xml version="1.0"?><rss version="2.0"><channel><title>Long</title><link>https://example.com/</link>${items}</channel></rss>`);

    // Act
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" inspect "${feed}" | head -1`], { encoding: 'utf8', timeout: 120_000 });

    // Assess
    expect(result.stdout).toMatch(/^.*long\.xml: rss feed/);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('shell completion', () => {
  const script = (shell: 'bash' | 'zsh') => spawnSync(process.execPath, [BIN, 'completion', shell], { encoding: 'utf8' }).stdout;

  /** What bash offers after the words typed so far (the last one is being completed). */
  function bashComplete(words: string[]): string[] {
    const file = path.join(tmpdir(), `newsalert-completion-${process.pid}.bash`);
    writeFileSync(file, script('bash'));
    const line = words.map((w) => `'${w}'`).join(' ');
    const result = spawnSync('bash', ['-c', `source "${file}"; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _newsalert; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      encoding: 'utf8',
    });
    rmSync(file, { force: true });
    expect(result.stderr).toBe('');
    return result.stdout.split('\n').filter(Boolean);
  }

  it('completes commands, subcommands and options in bash', () => {
    expect(bashComplete(['newsalert', ''])).toEqual(expect.arrayContaining(['serve', 'feeds', 'subs', 'completion', '--version']));
    expect(bashComplete(['newsalert', 'fe'])).toEqual(['feeds']);
    expect(bashComplete(['newsalert', 'feeds', ''])).toEqual(expect.arrayContaining(['add', 'list', 'validate', 'import']));
    expect(bashComplete(['newsalert', 'feeds', 'add', 'https://x.example/', '--c'])).toEqual(['--country']);
    expect(bashComplete(['newsalert', 'subs', 'add', '--sns', '--quie'])).toEqual(['--quiet']);
    expect(bashComplete(['newsalert', 'serve', '--log-l'])).toEqual(['--log-level']);
    expect(bashComplete(['newsalert', 'completion', ''])).toEqual(expect.arrayContaining(['bash', 'zsh']));
  });

  const zsh = spawnSync('zsh', ['--version']).status === 0;

  it.skipIf(!zsh)('completes subcommands and options in zsh (skipped where zsh is not installed)', () => {
    // compadd and _files are zsh's completion builtins; here they print what they would offer.
    const file = path.join(tmpdir(), `newsalert-completion-${process.pid}.zsh`);
    writeFileSync(file, script('zsh'));
    const complete = (words: string[]) => {
      const line = words.map((w) => `'${w}'`).join(' ');
      const result = spawnSync('zsh', ['-f', '-c', `compdef() { :; }; compadd() { shift; print -l -- "$@"; }; _files() { :; }; source "${file}"; words=(${line}); CURRENT=${words.length}; _newsalert`], {
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      return result.stdout.split('\n').filter(Boolean);
    };
    try {
      expect(complete(['newsalert', 'feeds', ''])).toEqual(expect.arrayContaining(['add', 'list', 'remove', 'validate', 'import', 'export', '--help']));
      expect(complete(['newsalert', 'keys', 'create', ''])).toEqual(expect.arrayContaining(['--scope', '--owner', '--api-key']));
    } finally {
      rmSync(file, { force: true });
    }
  });
});
