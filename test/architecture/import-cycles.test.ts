// No file in functions/ may reach itself through its imports (type-only imports count too): a circle ties rooms
// that should not know each other, and drags code into Lambda bundles that never run it (the WebSub renewer carried
// the feed parser through poller.ts <-> websub.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../helpers/import-graph.js';
import type { ImportEdge } from '../helpers/import-graph.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * PENDING, for the integrator to empty: circles known to be being broken. The one known when this test was written
 * (poller.ts <-> websub.ts) went with WebSub's split into a subscriber side and a callback side. Never add to it.
 */
const KNOWN_CYCLES_BEING_BROKEN: readonly (readonly string[])[] = [];

const key = (cycle: readonly string[]): string => cycle.join(' <-> ');

describe('the import graph of functions/', () => {
  const edges = importGraph(REPO_ROOT, 'functions');
  const cycles = importCycles(edges).map(key);
  const known = KNOWN_CYCLES_BEING_BROKEN.map(key);

  it('is read whole: aliases (#domain/*, ...) and relative imports both resolve', () => {
    expect(edges).toContainEqual({ from: 'functions/handlers/deliverer.ts', to: 'functions/domain/digest.ts', typeOnly: false });
    expect(edges).toContainEqual({ from: 'functions/adapters/alert-senders/index.ts', to: 'functions/adapters/alert-senders/slack.ts', typeOnly: false });
  });

  it('has no circle but those being broken', () => {
    expect(cycles.filter((cycle) => !known.includes(cycle))).toEqual([]);
  });

  it('still has every circle listed as being broken (delete the ones that are gone)', () => {
    expect(known.filter((cycle) => !cycles.includes(cycle))).toEqual([]);
  });
});

describe('importCycles', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false });

  it('finds a circle of three files, a file importing itself, and nothing in a graph without circles', () => {
    expect(importCycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd'), edge('e', 'e')])).toEqual([['a', 'b', 'c'], ['e']]);
    expect(importCycles([edge('a', 'b'), edge('a', 'c'), edge('b', 'c')])).toEqual([]);
  });
});
