// Publisher -> country facts from ../shared/feedlists/news-feed-list-of-countries (1,199 publications in 152
// countries, MIT): the host of each publication's site and feed, mapped from ISO alpha-3 to alpha-2. Written to
// functions/domain/classification/data/publishers.json, the second source of a feed's country after its own
// configuration (source-country.ts). Run: npx tsx scripts/build-publishers.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Countries } from 'world-countries';
import { hostOfUrl } from '../functions/domain/classification/source-country.js';
import type { PublisherData } from '../functions/domain/classification/source-country.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../test/helpers/shared-dir.js';

const OUTPUT = fileURLToPath(new URL('../functions/domain/classification/data/publishers.json', import.meta.url));
const require = createRequire(import.meta.url);
const countries = require('world-countries/countries.json') as Countries;

interface Publication {
  publication_name?: string;
  publication_website_uri?: string;
  publication_rss_feed_uri?: string;
}

if (!HAS_SHARED) {
  process.stderr.write(`build-publishers: ${SHARED_SKIP_REASON}\n`);
  process.exit(1);
}
const alpha2 = new Map(countries.map((country) => [country.cca3, country.cca2]));
const list = JSON.parse(
  readFileSync(sharedPath('feedlists', 'news-feed-list-of-countries', 'news-feed-list-of-countries.json'), 'utf8'),
) as Record<string, Publication[]>;
const claims = new Map<string, Set<string>>();
for (const [alpha3, publications] of Object.entries(list)) {
  const code = alpha2.get(alpha3);
  if (code === undefined) continue;
  for (const publication of publications) {
    for (const url of [publication.publication_website_uri, publication.publication_rss_feed_uri]) {
      const host = hostOfUrl(url);
      // Feed-hosting and aggregation services say nothing about the publisher's country.
      if (host === undefined || /(^|\.)(feedburner|feedblitz|google|blogspot|wordpress|medium|rss\.app|tumblr)\./.test(`.${host}.`)) continue;
      const set = claims.get(host) ?? new Set<string>();
      set.add(code);
      claims.set(host, set);
    }
  }
}
const hosts: Record<string, string> = {};
for (const [host, codes] of [...claims].sort(([a], [b]) => (a < b ? -1 : 1))) {
  if (codes.size === 1) hosts[host] = [...codes][0] ?? '';
}
const data: PublisherData = {
  source: 'news-feed-list-of-countries (MIT), ../shared/feedlists/news-feed-list-of-countries',
  hosts,
};
writeFileSync(OUTPUT, `${JSON.stringify(data)}\n`);
console.log(`wrote ${OUTPUT}: ${Object.keys(hosts).length} hosts`);
