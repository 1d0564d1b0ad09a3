// What the process writes (handler logs, say lines), captured as non-empty lines for tests that check logs.
import { vi } from 'vitest';

/** Sends stdout and stderr into `lines` instead of the terminal, until vi.restoreAllMocks(). */
export function captureOutputLines(lines: string[]): void {
  const capture = (chunk: unknown): boolean => {
    lines.push(...String(chunk).split('\n').filter((line) => line.trim().length > 0));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
}
