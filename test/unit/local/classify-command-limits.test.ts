import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runClassifyCommand } from '#local/classify-command.js';

async function runJsonl(input: string): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  stdin.end(input);
  const code = await runClassifyCommand(['--jsonl'], { stdin, stdout, stderr });
  const lines = Buffer.concat(out)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, lines, stderr: Buffer.concat(err).toString('utf8') };
}

describe('classify --jsonl: extreme lines', () => {
  it('answers an empty title and text with an empty classification, not an error', async () => {
    // Act
    const run = await runJsonl(`${JSON.stringify({ id: 'empty', title: '', text: '' })}\n`);

    // Assess
    expect(run.code).toBe(0);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatchObject({ id: 'empty', countries: [], topics: [] });
  });

  it('classifies a 5 MB text on one line and keeps the lines around it', async () => {
    // Prepare
    const big = `KYIV (Reuters) - ${'Grain exports resumed from the port. '.repeat(140_000)}`;
    const input = [
      JSON.stringify({ id: 'before', title: 'Peru votes', text: 'Lima.' }),
      JSON.stringify({ id: 'big', title: 'Ukraine grain', text: big }),
      JSON.stringify({ id: 'after', title: 'Chile votes', text: 'Santiago.' }),
    ].join('\n');

    // Act
    const run = await runJsonl(input);

    // Assess
    expect(big.length).toBeGreaterThan(5_000_000);
    expect(run.code).toBe(0);
    expect(run.lines.map((line) => line['id'])).toEqual(['before', 'big', 'after']);
    expect(run.lines[1]).toMatchObject({ countries: [{ code: 'UA', role: 'primary' }] });
  });

  it('answers a record whose id is an object with an error line carrying a null id', async () => {
    // Act
    const run = await runJsonl(`${JSON.stringify({ id: { nested: true }, title: 'x', text: 'y' })}\n`);

    // Assess
    expect(run.lines).toEqual([{ id: null, error: expect.stringMatching(/^invalid input/) }]);
    expect(run.stderr).toContain('1 of 1 lines');
  });
});
