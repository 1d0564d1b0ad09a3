// `npm run bench -- subscription-scan --json [--sizes 100000,1000000]`: what loading the subscriptions costs the
// matcher's CPU besides the index build. A scan page arrives as DynamoDB JSON; the SDK parses it and the document
// client unmarshalls every item, on the one JavaScript thread. This decodes the bench's subscription mix (the same
// generator as `match`) in 1 MB pages and builds the index from the same subscriptions in the same process, so the
// figure that travels to other machines is decodeToBuild; the milliseconds are this machine's.
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { buildMatchIndex } from '#domain/match-index.js';
import { fixtures } from './_match-fixtures.js';

export const nodeArgs = ['--expose-gc', '--max-old-space-size=12288'];

const PAGE_BYTES = 1_000_000;

/** The subscriptions as DynamoDB would return them: 1 MB Scan responses. */
function toScanPages(items: object[]): { pages: string[]; bytes: number } {
  const pages: string[] = [];
  let page: string[] = [];
  let pageBytes = 0;
  let bytes = 0;
  for (const item of items) {
    const wire = JSON.stringify(marshall(item, { removeUndefinedValues: true }));
    page.push(wire);
    pageBytes += wire.length;
    bytes += Buffer.byteLength(wire);
    if (pageBytes >= PAGE_BYTES) {
      pages.push(`{"Items":[${page.join(',')}]}`);
      page = [];
      pageBytes = 0;
    }
  }
  if (page.length > 0) pages.push(`{"Items":[${page.join(',')}]}`);
  return { pages, bytes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function run(args: string[]): Promise<object> {
  const at = args.indexOf('--sizes');
  const sizes = (at >= 0 ? (args[at + 1] ?? '') : '100000,1000000').split(',').map(Number);
  const results = [];
  for (const n of sizes) {
    const { subs } = await fixtures(n);
    const { pages, bytes } = toScanPages(subs);
    const decodeMs: number[] = [];
    const buildMs: number[] = [];
    // Alternated, three rounds each, so a busy moment of the machine weighs on both sides alike.
    for (let round = 0; round < 3; round++) {
      let started = performance.now();
      let decoded = 0;
      for (const page of pages) {
        for (const item of (JSON.parse(page) as { Items: Parameters<typeof unmarshall>[0][] }).Items) {
          unmarshall(item);
          decoded++;
        }
      }
      decodeMs.push(performance.now() - started);
      if (decoded !== n) throw new Error(`decoded ${decoded} of ${n} subscriptions`);
      started = performance.now();
      buildMatchIndex(subs);
      buildMs.push(performance.now() - started);
    }
    results.push({
      subscriptions: n,
      wireBytesPerSubscription: Math.round(bytes / n),
      pages: pages.length,
      decodeMs: Math.round(median(decodeMs)),
      buildMs: Math.round(median(buildMs)),
      decodeToBuild: Number((median(decodeMs) / median(buildMs)).toFixed(2)),
    });
  }
  return { pageBytes: PAGE_BYTES, results };
}
