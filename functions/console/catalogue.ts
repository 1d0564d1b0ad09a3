// What a subscriber picks from: IPTC Media Topics and ISO 3166-1 countries, named in the reader's language.
// Topics come from the API's GET /topics (the whole IPTC tree with its labels) when the server has it; otherwise the
// 17 top-level topics built into this script. Countries are the codes the API accepts (built in at build time from
// the same list the API validates against), named by the browser's Intl.DisplayNames.
import { call } from './api.js';

declare const __NEWSALERT_COUNTRIES__: string;
declare const __NEWSALERT_TOPICS__: Record<string, string>;

export interface TopicChoice {
  code: string;
  label: string;
  /** How deep in the tree: 0 for the 17 top-level topics. */
  depth: number;
  /** The labels of its ancestors, broadest first (shown to tell "sport > football" from "football" elsewhere). */
  path: string[];
}

export interface CountryChoice {
  code: string;
  name: string;
}

function languages(): string[] {
  return [...(navigator.languages ?? []), navigator.language, 'en'].filter((l) => typeof l === 'string' && l !== '');
}

export function countryChoices(): CountryChoice[] {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames(languages(), { type: 'region' });
  } catch {
    names = undefined;
  }
  const collator = new Intl.Collator(languages());
  return __NEWSALERT_COUNTRIES__
    .split(' ')
    .map((code) => ({ code, name: names?.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
}

interface TopicNode {
  code?: unknown;
  label?: unknown;
  labels?: unknown;
  parent?: unknown;
  children?: unknown;
  retired?: unknown;
}

function labelOf(node: TopicNode): string | undefined {
  if (typeof node.label === 'string') return node.label;
  if (node.labels !== null && typeof node.labels === 'object') {
    const labels = node.labels as Record<string, unknown>;
    for (const lang of languages()) {
      const exact = labels[lang] ?? labels[lang.split('-')[0]!];
      if (typeof exact === 'string') return exact;
    }
    const any = Object.values(labels).find((v) => typeof v === 'string');
    if (typeof any === 'string') return any;
  }
  return undefined;
}

/** Reads GET /topics loosely: a list or a tree, flat items with `parent` or nested `children`. */
function flattenTopics(raw: unknown): TopicChoice[] {
  const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? ((raw as Record<string, unknown>).topics ?? []) : [];
  const out: TopicChoice[] = [];
  const byCode = new Map<string, TopicNode>();
  const walk = (nodes: unknown, path: string[]) => {
    if (!Array.isArray(nodes)) return;
    for (const node of nodes as TopicNode[]) {
      if (node === null || typeof node !== 'object' || typeof node.code !== 'string' || node.retired === true) continue;
      const code = node.code.startsWith('medtop:') ? node.code : `medtop:${node.code}`;
      const label = labelOf(node) ?? code;
      byCode.set(code, node);
      out.push({ code, label, depth: path.length, path });
      if (Array.isArray(node.children) && node.children.some((c) => c !== null && typeof c === 'object')) walk(node.children, [...path, label]);
    }
  };
  walk(list, []);
  // Flat lists name their parent instead: rebuild each path from it.
  const labels = new Map(out.map((t) => [t.code, t.label]));
  for (const topic of out) {
    if (topic.depth > 0) continue;
    const path: string[] = [];
    let parent = byCode.get(topic.code)?.parent;
    for (let guard = 0; typeof parent === 'string' && guard < 16; guard++) {
      const code = parent.startsWith('medtop:') ? parent : `medtop:${parent}`;
      path.unshift(labels.get(code) ?? code);
      parent = byCode.get(code)?.parent;
    }
    topic.path = path;
    topic.depth = path.length;
  }
  return out;
}

let topics: Promise<TopicChoice[]> | undefined;

export function topicChoices(): Promise<TopicChoice[]> {
  topics ??= call('GET', '/topics')
    .then(({ body }) => flattenTopics(body))
    .catch(() => [])
    .then((found) =>
      found.length > 0 ? found : Object.entries(__NEWSALERT_TOPICS__).map(([code, label]) => ({ code, label, depth: 0, path: [] })),
    );
  return topics;
}

/** "politics" for medtop:11000000, once the catalogue is loaded; the code itself before. */
export function topicLabel(choices: readonly TopicChoice[], code: string): string {
  const found = choices.find((t) => t.code === code);
  return found === undefined ? code : [...found.path, found.label].join(' › ');
}

export function countryName(choices: readonly CountryChoice[], code: string): string {
  return choices.find((c) => c.code === code)?.name ?? code;
}
