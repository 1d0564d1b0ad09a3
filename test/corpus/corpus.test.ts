// A bounded slice of `npm run corpus`: the encodings, ill-formed and broken-feed folders, through the same worker
// pool and watchdog, compared with the committed baseline. The full run is `npm run corpus`.
import { describe, expect, it } from 'vitest';
import { diffBaseline, outcomeKey, readBaseline, runCorpus } from '../../scripts/corpus.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../helpers/shared-dir.js';

const SUBSET = [
  'edge_cases/kurtmckee_feedparser_tests/encoding/',
  'edge_cases/kurtmckee_feedparser_tests/illformed/',
  'edge_cases/miniflux_encoding_testdata/',
  'edge_cases/miniflux_xml_testdata/',
  'edge_cases/atoma_tests/',
  'edge_cases/simplepie_tests_data/',
  'edge_cases/gofeed_testdata/parser/json/',
  'real_news/node-feedparser_feeds/',
  // The two DTD entity declarations of the corpus: refused, never expanded.
  'edge_cases/kurtmckee_feedparser_tests/wellformed/rdf/doctype_contains_entity_decl.xml',
  'edge_cases/kurtmckee_feedparser_tests/wellformed/rss/entity_in_doctype.xml',
];

/** Outcomes a file may have: items, or one of these precise reasons. */
const REASONS = new Set([
  'no-items',
  'no-usable-items',
  'not-a-feed',
  'malformed-xml',
  'malformed-json',
  'unsupported-encoding',
  'empty',
  'entity-declaration',
  'too-large',
  'decompression',
]);

describe.skipIf(!HAS_SHARED)(`corpus subset against the baseline (${HAS_SHARED ? 'shared data present' : SHARED_SKIP_REASON})`, () => {
  it('gives every file items or a precise reason, with no crash, no hang and no change from the baseline', async () => {
    // Prepare
    const baseline = readBaseline();

    // Act
    const results = await runCorpus({ feedsDir: sharedPath('feeds'), only: SUBSET, workers: 2 });

    // Assess
    expect(results.length).toBeGreaterThan(150);
    const unexplained = results.filter((result) => !(result.outcome === 'ok' ? result.items > 0 : REASONS.has(result.outcome)));
    expect(unexplained.map((result) => `${result.path}: ${result.outcome} ${result.detail ?? ''}`)).toEqual([]);
    expect(results.filter((result) => result.outcome === 'ok').length).toBeGreaterThan(20);
    const { changed, missing } = diffBaseline(results, baseline, SUBSET);
    // On a change: check the new outcome is right, then `npm run corpus -- --update-baseline`.
    expect(changed).toEqual([]);
    expect(missing).toEqual([]);
    expect(results.filter((result) => outcomeKey(result) === 'entity-declaration')).toHaveLength(2);
  }, 60_000);
});
