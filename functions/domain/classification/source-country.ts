// The publisher's country (the source country), as distinct from the countries an article is about. Inferred, with
// a confidence and the evidence, from the strongest signal available: the feed's configured country; the publisher
// list (data/publishers.json, built from ../shared by scripts/build-publishers.ts); the country-code top-level
// domain of the feed or article; the region of the feed's language tag (pt-BR -> BR).
import type { SourceCountry } from '../types.js';
import { lazyData } from './data-source.js';
import { regionOfLanguageTag } from './language.js';

export interface PublisherData {
  source: string;
  /** Host (lower case, no "www.") -> ISO 3166-1 alpha-2. */
  hosts: Record<string, string>;
}

export const PUBLISHERS_FILE = 'publishers.json';

export function decodePublishers(bytes: Uint8Array): PublisherData {
  const data = JSON.parse(new TextDecoder().decode(bytes)) as Partial<PublisherData>;
  if (data.hosts === undefined || typeof data.hosts !== 'object') throw new Error('publishers: missing hosts');
  return data as PublisherData;
}

const loadPublishers = lazyData(PUBLISHERS_FILE, decodePublishers);

/** Country-code TLDs sold as generic names (.io, .tv, .co ...): they say nothing about where a publisher is. */
const GENERIC_CCTLDS = new Set(['io', 'co', 'tv', 'me', 'fm', 'ai', 'ly', 'to', 'cc', 'ws', 'gg', 'am', 'nu', 'tk', 'ml', 'ga', 'cf', 'gq', 'la', 'so', 'sh', 'ac', 'vc', 'gd', 'eu', 'su', 'st', 'cx', 'lt', 'is', 'it', 'im', 'xyz']);
/** ccTLDs whose code differs from the ISO country code. */
const CCTLD_COUNTRY: Readonly<Record<string, string>> = { uk: 'GB' };

/**
 * Language regions that many sites declare by default whatever their country (a CMS shipping "en-US"): weaker
 * evidence than a region chosen on purpose.
 */
const DEFAULT_REGIONS = new Set(['en-US', 'en-GB']);

/** The host of a URL in lower case without a leading "www.", or undefined when it is not an http(s) URL. */
export function hostOfUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const match = /^https?:\/\/(?:[^@/?#]*@)?([^/:?#]+)/i.exec(url.trim());
  const host = match?.[1]?.toLowerCase().replace(/\.$/, '');
  return host?.startsWith('www.') === true ? host.slice(4) : host;
}

function publisherOf(host: string, hosts: Readonly<Record<string, string>>): { host: string; code: string } | undefined {
  const labels = host.split('.');
  // news.bbc.co.uk -> bbc.co.uk -> co.uk: the longest listed suffix of at least two labels.
  for (let i = 0; i + 2 <= labels.length; i++) {
    const candidate = labels.slice(i).join('.');
    const code = Object.hasOwn(hosts, candidate) ? hosts[candidate] : undefined;
    if (code !== undefined) return { host: candidate, code };
  }
  return undefined;
}

export interface SourceCountryInput {
  /** The feed's configured country. */
  configured?: string;
  /** The feed's URL and the article's URL, strongest first. */
  urls?: readonly (string | undefined)[];
  /** The feed's language tag as declared ("pt-BR"). */
  languageTag?: string;
}

/** The source country with its basis and evidence, or undefined when nothing points anywhere. */
export function inferSourceCountry(input: SourceCountryInput): SourceCountry | undefined {
  if (input.configured !== undefined && /^[A-Za-z]{2}$/.test(input.configured)) {
    return { code: input.configured.toUpperCase(), confidence: 1, basis: 'feed', evidence: 'configured on the feed' };
  }
  const hosts = (input.urls ?? []).map(hostOfUrl).filter((host): host is string => host !== undefined);
  const publishers = loadPublishers().hosts;
  for (const host of hosts) {
    const found = publisherOf(host, publishers);
    if (found !== undefined) return { code: found.code, confidence: 0.9, basis: 'publisher', evidence: found.host };
  }
  for (const host of hosts) {
    const tld = host.split('.').pop() ?? '';
    if (/^[a-z]{2}$/.test(tld) && !GENERIC_CCTLDS.has(tld)) {
      return { code: CCTLD_COUNTRY[tld] ?? tld.toUpperCase(), confidence: 0.7, basis: 'cctld', evidence: `.${tld}` };
    }
  }
  const region = regionOfLanguageTag(input.languageTag);
  if (region !== undefined && input.languageTag !== undefined) {
    const tag = input.languageTag.trim().replace('_', '-');
    const defaultLike = DEFAULT_REGIONS.has(`${tag.slice(0, 2).toLowerCase()}-${region}`);
    return { code: region === 'UK' ? 'GB' : region, confidence: defaultLike ? 0.3 : 0.5, basis: 'language-region', evidence: tag };
  }
  return undefined;
}

/** Inferred source countries at or above this confidence become the article's sourceCountry. */
export const SOURCE_COUNTRY_MIN_CONFIDENCE = 0.5;
