// `newsalert classify`: runs the same classifier the poller Lambda uses, on one article or on a JSON Lines stream.
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { classify } from '#adapters/classifier.js';
import type { ClassifyInput } from '#domain/types.js';

export interface ClassifyIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `Usage:
  newsalert classify --title T --text X        classify one article, print its classification as JSON
  newsalert classify --file PATH               first line is the title, the rest the text
  newsalert classify [--title T] < article.txt  text from stdin (first line is the title when --title is absent)
  newsalert classify --jsonl < in.jsonl         one {"id","title","text"} per line in, one result per line out
Options: --language xx (hint, ISO 639-1)  --source-country CC (publisher's country)  --help`;

/** Larger inputs are not news articles; refusing them keeps one bad line from exhausting memory. */
const MAX_INPUT_CHARS = 20_000_000;

const OPTIONS = {
  title: { type: 'string' },
  text: { type: 'string' },
  file: { type: 'string' },
  jsonl: { type: 'boolean', default: false },
  language: { type: 'string' },
  'source-country': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

const languageSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$/, 'must be a language tag such as "en" or "en-GB"');
const countrySchema = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "GB"')
  .transform((code) => code.toUpperCase());

const inputSchema = z.object({
  title: z.string().max(MAX_INPUT_CHARS),
  text: z.string().max(MAX_INPUT_CHARS),
  language: languageSchema.optional(),
  sourceCountry: countrySchema.optional(),
});

const lineSchema = inputSchema.extend({
  id: z.union([z.string().min(1), z.number()]),
});

type LineId = string | number | null;

class UsageError extends Error {}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function toInput(value: z.infer<typeof inputSchema>): ClassifyInput {
  const input: ClassifyInput = { title: value.title, text: value.text };
  if (value.language !== undefined) input.language = value.language;
  if (value.sourceCountry !== undefined) input.sourceCountry = value.sourceCountry;
  return input;
}

/** Writes and waits when the reader is slower than the classifier, so 10,000 lines never pile up in memory. */
async function writeOut(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (stream.write(chunk)) return;
  await Promise.race([once(stream, 'drain'), once(stream, 'close')]);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: string[] = [];
  let length = 0;
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    length += text.length;
    if (length > MAX_INPUT_CHARS) throw new UsageError(`stdin is larger than ${MAX_INPUT_CHARS} characters`);
    chunks.push(text);
  }
  return chunks.join('');
}

function splitTitle(content: string): { title: string; text: string } {
  const newline = content.indexOf('\n');
  if (newline < 0) return { title: content.trim(), text: '' };
  return { title: content.slice(0, newline).trim(), text: content.slice(newline + 1) };
}

async function classifyOne(values: ParsedValues, io: ClassifyIo): Promise<number> {
  let title: string;
  let text: string;
  if (values.file !== undefined) {
    if (values.text !== undefined) throw new UsageError('use either --file or --text, not both');
    let content: string;
    try {
      content = await readFile(values.file, 'utf8');
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
      io.stderr.write(`classify: cannot read ${values.file}: ${code}\n`);
      return 1;
    }
    ({ title, text } = splitTitle(content));
    if (values.title !== undefined) title = values.title;
  } else if (values.text !== undefined) {
    title = values.title ?? '';
    text = values.text;
  } else {
    const content = await readAll(io.stdin);
    if (values.title !== undefined) {
      title = values.title;
      text = content;
    } else {
      ({ title, text } = splitTitle(content));
    }
  }
  const parsed = inputSchema.safeParse({
    title,
    text,
    language: values.language,
    sourceCountry: values['source-country'],
  });
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error));
  await writeOut(io.stdout, `${JSON.stringify(classify(toInput(parsed.data)))}\n`);
  return 0;
}

function idOf(value: unknown): LineId {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const { id } = value;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

interface LineResult {
  json: string;
  failed: boolean;
}

function failLine(id: LineId, error: string): LineResult {
  return { json: JSON.stringify({ id, error }), failed: true };
}

/** One output line for one input line: the classification, or {"id", "error"} — never an exception. */
function classifyLine(line: string, defaults: { language?: string; sourceCountry?: string }): LineResult {
  if (line.length > MAX_INPUT_CHARS) return failLine(null, 'line too long');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    if (error instanceof SyntaxError) return failLine(null, `invalid JSON: ${error.message}`);
    throw error;
  }
  const id = idOf(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failLine(id, 'invalid input: expected a JSON object with "id", "title" and "text"');
  }
  const parsed = lineSchema.safeParse({ ...defaults, ...value });
  if (!parsed.success) return failLine(id, `invalid input: ${describeIssues(parsed.error)}`);
  const classification = classify(toInput(parsed.data));
  const json = JSON.stringify({
    id: parsed.data.id,
    language: classification.language,
    topics: classification.topics,
    countries: classification.countries,
    ...(classification.sourceCountry !== undefined ? { sourceCountry: classification.sourceCountry } : {}),
    classifierVersion: classification.classifierVersion,
  });
  return { json, failed: false };
}

async function classifyLines(values: ParsedValues, io: ClassifyIo): Promise<number> {
  if (values.title !== undefined || values.text !== undefined || values.file !== undefined) {
    throw new UsageError('--jsonl reads stdin only: drop --title, --text and --file');
  }
  const defaults: { language?: string; sourceCountry?: string } = {};
  if (values.language !== undefined) defaults.language = values.language;
  if (values['source-country'] !== undefined) defaults.sourceCountry = values['source-country'];

  let lines = 0;
  let failures = 0;
  const reader = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of reader) {
    // Blank lines (a trailing newline, spacing between records) carry no record.
    if (line.trim() === '') continue;
    lines++;
    const { json, failed } = classifyLine(line, defaults);
    if (failed) failures++;
    await writeOut(io.stdout, `${json}\n`);
  }
  if (failures > 0) io.stderr.write(`classify: ${failures} of ${lines} lines could not be classified\n`);
  // Some bad lines are reported in the output and the run succeeds; when not one line could be classified, it failed.
  return lines > 0 && failures === lines ? 1 : 0;
}

type ParsedValues = {
  title?: string;
  text?: string;
  file?: string;
  jsonl?: boolean;
  language?: string;
  'source-country'?: string;
  help?: boolean;
};

/**
 * Runs `classify` with the arguments after the command name. Returns the exit code: 0 done (in --jsonl mode bad
 * lines are reported in the output), 1 input could not be read or no --jsonl line could be classified, 2 usage error.
 */
export async function runClassifyCommand(args: string[], io: ClassifyIo): Promise<number> {
  let values: ParsedValues;
  try {
    const parsed = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
    values = parsed.values;
  } catch (error) {
    io.stderr.write(`classify: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    return values.jsonl === true ? await classifyLines(values, io) : await classifyOne(values, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`classify: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof Error && 'code' in error) {
      io.stderr.write(`classify: input failed: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
