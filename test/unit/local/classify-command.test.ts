import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runClassifyCommand } from '#local/classify-command.js';
import type { Classification } from '#domain/types.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCommand(args: string[], stdinText?: string | Buffer): Promise<Run> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  if (stdinText !== undefined) stdin.end(stdinText);
  else stdin.end();
  const code = await runClassifyCommand(args, { stdin, stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

function outputLines(run: Run): Record<string, unknown>[] {
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const TITLE = "Russia's Putin plans to visit China in May";
const TEXT = 'MOSCOW (Reuters) - The Kremlin said talks in Beijing would follow, as Ukraine and NATO watched Washington.';

describe('classify command: one article', () => {
  it('prints one classification for --title and --text', async () => {
    // Act
    const run = await runCommand(['--title', TITLE, '--text', TEXT, '--source-country', 'gb']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(run.stdout) as Classification;
    expect(result.countries[0]).toMatchObject({ code: 'RU', role: 'primary' });
    expect(result.topics[0]?.code).toBe('medtop:11000000');
    expect(result.sourceCountry).toBe('GB');
    expect(result.classifierVersion).toEqual(expect.any(String));
  });

  describe('with a file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'classify-command-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads the title from the first line of --file and the text from the rest', async () => {
      // Prepare
      const path = join(dir, 'article.txt');
      await writeFile(path, 'Floods in Bangladesh\nHeavy monsoon rain hit Dhaka and rescuers evacuated villages.\n');

      // Act
      const run = await runCommand(['--file', path]);

      // Assess
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as Classification;
      expect(result.countries[0]?.evidence[0]).toEqual({ text: 'Bangladesh', field: 'title', start: 10 });
      expect(result.countries[0]?.evidence[1]).toEqual({ text: 'Dhaka', field: 'text', start: 23 });
    });

    it('exits 1 with a message when the file cannot be read', async () => {
      // Act
      const run = await runCommand(['--file', join(dir, 'missing.txt')]);

      // Assess
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('ENOENT');
      expect(run.stdout).toBe('');
    });
  });

  it('reads the article from stdin when neither --text nor --file is given', async () => {
    // Act
    const run = await runCommand([], `${TITLE}\n${TEXT}\n`);

    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Classification;
    expect(result.countries[0]?.evidence[0]).toMatchObject({ text: 'Russia', field: 'title', start: 0 });
  });

  it('uses all of stdin as text when --title is given', async () => {
    // Act
    const run = await runCommand(['--title', 'Report'], 'Nairobi officials met.\nKenya agreed.');

    // Assess
    const result = JSON.parse(run.stdout) as Classification;
    expect(result.countries[0]?.evidence.map((evidence) => evidence.text)).toEqual(['Nairobi', 'Kenya']);
  });
});

describe('classify command: usage errors', () => {
  it.each([
    [['--bogus']],
    [['--title']],
    [['stray-positional']],
    [['--jsonl', '--text', 'x']],
    [['--text', 'x', '--source-country', 'Britain']],
    [['--text', 'x', '--language', 'not a language']],
  ])('exits 2 with a message on stderr for %j', async (args) => {
    // Act
    const run = await runCommand(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^classify: /);
    expect(run.stdout).toBe('');
  });

  it('prints usage for --help', async () => {
    // Act
    const run = await runCommand(['--help']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--jsonl');
  });
});

describe('classify command: --jsonl', () => {
  it('writes one result line per input line, in order, with the documented fields', async () => {
    // Prepare
    const input = [
      JSON.stringify({ id: 'a1', title: TITLE, text: TEXT }),
      JSON.stringify({ id: 7, title: 'Wildfire in California', text: 'Firefighters evacuated towns.' }),
    ].join('\n');

    // Act
    const run = await runCommand(['--jsonl'], `${input}\n`);

    // Assess
    expect(run.code).toBe(0);
    const lines = outputLines(run);
    expect(lines.map((line) => line['id'])).toEqual(['a1', 7]);
    expect(Object.keys(lines[0] ?? {}).sort()).toEqual(['classifierVersion', 'countries', 'id', 'language', 'topics']);
    expect((lines[0]?.['countries'] as { code: string }[])[0]?.code).toBe('RU');
    expect((lines[1]?.['countries'] as { code: string }[])[0]?.code).toBe('US');
    const topic = (lines[0]?.['topics'] as Record<string, unknown>[])[0];
    expect(Object.keys(topic ?? {}).sort()).toEqual(['code', 'evidence', 'label', 'score']);
  });

  it('answers each bad line with an error line and carries on', async () => {
    // Prepare
    const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x41, 0x0d]);
    const input = Buffer.concat([
      Buffer.from('{not json\n'),
      Buffer.from(`${JSON.stringify({ id: 'no-text', title: 'Hello' })}\n`),
      Buffer.from(`${JSON.stringify({ id: 'bad-country', title: 'x', text: 'y', sourceCountry: 'Britain' })}\n`),
      Buffer.from('[1,2,3]\n'),
      Buffer.from('"just a string"\n'),
      garbage,
      Buffer.from('\n\n   \n'),
      Buffer.from(`${JSON.stringify({ id: 'ok', title: 'Peru', text: 'Lima.' })}\n`),
    ]);

    // Act
    const run = await runCommand(['--jsonl'], input);

    // Assess
    expect(run.code).toBe(0);
    const lines = outputLines(run);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toEqual({ id: null, error: expect.stringMatching(/^invalid JSON/) });
    expect(lines[1]).toEqual({ id: 'no-text', error: expect.stringContaining('text') });
    expect(lines[2]).toEqual({ id: 'bad-country', error: expect.stringContaining('sourceCountry') });
    expect(lines[3]).toEqual({ id: null, error: expect.stringMatching(/^invalid input/) });
    expect(lines[4]).toEqual({ id: null, error: expect.stringMatching(/^invalid input/) });
    expect(lines[5]).toEqual({ id: null, error: expect.stringMatching(/^invalid JSON/) });
    expect(lines[6]).toMatchObject({ id: 'ok', countries: [{ code: 'PE' }] });
    expect(run.stderr).toContain('6 of 7 lines');
  });

  it('applies --language and --source-country as defaults for lines that lack them', async () => {
    // Prepare
    const input = `${JSON.stringify({ id: 1, title: 'x', text: 'y' })}\n${JSON.stringify({ id: 2, title: 'x', text: 'y', language: 'fr' })}\n`;

    // Act
    const run = await runCommand(['--jsonl', '--language', 'de', '--source-country', 'at'], input);

    // Assess
    const lines = outputLines(run);
    expect(lines.map((line) => [line['language'], line['sourceCountry']])).toEqual([
      ['de', 'AT'],
      ['fr', 'AT'],
    ]);
  });

  it('streams 10,000 lines', async () => {
    // Prepare
    const count = 10_000;
    const input = Array.from({ length: count }, (_, i) =>
      JSON.stringify({ id: `n${i}`, title: i % 2 === 0 ? 'Kenya elections' : 'Football in Spain', text: `Story ${i}.` }),
    ).join('\n');

    // Act
    const run = await runCommand(['--jsonl'], input);

    // Assess
    expect(run.code).toBe(0);
    const lines = outputLines(run);
    expect(lines).toHaveLength(count);
    expect(lines[0]?.['id']).toBe('n0');
    expect(lines[count - 1]?.['id']).toBe(`n${count - 1}`);
    expect(lines.every((line) => !('error' in line))).toBe(true);
    expect((lines[1]?.['countries'] as { code: string }[])[0]?.code).toBe('ES');
  });
});

describe('classify command: --jsonl exit code', () => {
  it('exits 1 when not one line could be classified, and 0 when some could', async () => {
    // Act
    const allBad = await runCommand(['--jsonl'], '{not json\n[1]\n');
    const someBad = await runCommand(['--jsonl'], `{not json\n${JSON.stringify({ id: 'ok', title: 'Peru', text: 'Lima.' })}\n`);

    // Assess
    expect(allBad.code).toBe(1);
    expect(allBad.stderr).toContain('2 of 2 lines');
    expect(someBad.code).toBe(0);
  });
});
