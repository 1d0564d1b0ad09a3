// Derives the compact IPTC Media Topic hierarchy the matcher loads (a parent topic matches its children) from the
// IPTC NewsCodes mapping in the shared data. Run: npx tsx scripts/build-topic-tree.ts [path/to/iptc_mapping.json]
//
// The output groups children under their parent and drops the "medtop:" prefix: 1,372 codes fit in a few KiB, so
// the Lambda bundles it without noticing. Retired codes are kept in the tree, so an article classified with one
// still rolls up to its parents, and listed apart, so the API can refuse new subscriptions to them.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopicTreeData } from '../functions/domain/topic-tree.js';

const DEFAULT_INPUT = resolve(process.env.NEWSALERT_SHARED_DIR ?? '../shared', 'datasets/topics/iptc-mediatopic/iptc_mapping.json');
const OUTPUT = fileURLToPath(new URL('../functions/domain/data/topic-tree.json', import.meta.url));
const PREFIX = 'medtop:';
const LEVELS = [1, 2, 3, 4, 5, 6] as const;

interface MappingEntry {
  'NewsCode-QCode (flat)': string;
  RetiredDate: string | null;
  [level: `Level${number}/NewsCode`]: string | null;
}

function bareCode(code: string): string {
  if (!/^medtop:\d{8}$/.test(code)) throw new Error(`Unexpected IPTC code ${JSON.stringify(code)}`);
  return code.slice(PREFIX.length);
}

function buildTopicTree(mapping: Record<string, MappingEntry>, source: string): TopicTreeData {
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  const retired: string[] = [];
  for (const [key, entry] of Object.entries(mapping)) {
    const code = bareCode(entry['NewsCode-QCode (flat)']);
    if (bareCode(key) !== code) throw new Error(`Key ${key} disagrees with its QCode ${entry['NewsCode-QCode (flat)']}`);
    // The path from the top level down to the code itself; the second-to-last element is the parent.
    const path = LEVELS.map((level) => entry[`Level${level}/NewsCode`]).filter((c): c is string => typeof c === 'string');
    if (path.length === 0 || bareCode(path[path.length - 1] ?? '') !== code) {
      throw new Error(`${key}: its level columns do not end with the code itself`);
    }
    const parent = path[path.length - 2];
    if (parent === undefined) roots.push(code);
    else {
      const siblings = children.get(bareCode(parent)) ?? [];
      siblings.push(code);
      children.set(bareCode(parent), siblings);
    }
    if (entry.RetiredDate) retired.push(code);
  }
  const sortedChildren: Record<string, string[]> = {};
  for (const parent of [...children.keys()].sort()) sortedChildren[parent] = (children.get(parent) ?? []).sort();
  return { source, roots: roots.sort(), children: sortedChildren, retired: retired.sort() };
}

function main(): void {
  const input = resolve(process.argv[2] ?? DEFAULT_INPUT);
  // The IPTC export writes pandas' bare NaN for empty cells, which JSON does not allow.
  const text = readFileSync(input, 'utf8').replace(/\bNaN\b/g, 'null');
  const mapping = JSON.parse(text) as Record<string, MappingEntry>;
  const tree = buildTopicTree(mapping, 'IPTC Media Topics NewsCodes (CC BY 4.0), iptc_mapping.json');
  writeFileSync(OUTPUT, JSON.stringify(tree) + '\n');
  const childCount = Object.values(tree.children).reduce((n, c) => n + c.length, 0);
  process.stdout.write(`${OUTPUT}: ${tree.roots.length} top-level topics, ${childCount} children, ${tree.retired.length} retired\n`);
}

main();
