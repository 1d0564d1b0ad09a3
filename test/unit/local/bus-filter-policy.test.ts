import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.js';
import { compileFilterPolicy, matchesFilterPolicy } from '#local/bus.js';
import type { SnsMessageAttributes } from '#local/bus.js';

const string = (value: string) => ({ DataType: 'String' as const, StringValue: value });
const list = (...values: (string | number)[]) => ({ DataType: 'String.Array' as const, StringValue: JSON.stringify(values) });
const number = (value: number) => ({ DataType: 'Number' as const, StringValue: String(value) });

function matches(policy: Record<string, unknown[]>, attributes: SnsMessageAttributes): boolean {
  return matchesFilterPolicy(compileFilterPolicy(policy), attributes);
}

describe('filter policy matching', () => {
  it.each([
    ['exact string', { lang: ['en', 'fr'] }, { lang: string('fr') }, true],
    ['exact string, other value', { lang: ['en'] }, { lang: string('de') }, false],
    ['String.Array, one element matches', { countries: ['RU'] }, { countries: list('UA', 'RU') }, true],
    ['String.Array, no element matches', { countries: ['RU'] }, { countries: list('UA', 'PL') }, false],
    ['String.Array, empty', { countries: ['RU'] }, { countries: list() }, false],
    ['prefix on a String.Array element', { topics: [{ prefix: 'medtop:11' }] }, { topics: list('medtop:04000000', 'medtop:11000000') }, true],
    ['prefix, no element starts so', { topics: [{ prefix: 'medtop:11' }] }, { topics: list('medtop:04000000') }, false],
    ['anything-but, a value outside the list', { status: [{ 'anything-but': ['draft', 'deleted'] }] }, { status: string('live') }, true],
    ['anything-but, a value in the list', { status: [{ 'anything-but': ['draft', 'deleted'] }] }, { status: string('draft') }, false],
    ['anything-but, an array with one element outside', { countries: [{ 'anything-but': ['RU'] }] }, { countries: list('RU', 'UA') }, true],
    ['anything-but, an array entirely inside', { countries: [{ 'anything-but': ['RU'] }] }, { countries: list('RU') }, false],
    ['anything-but, attribute missing', { countries: [{ 'anything-but': ['RU'] }] }, {}, false],
    ['anything-but prefix', { source: [{ 'anything-but': { prefix: 'test-' } }] }, { source: string('test-feed') }, false],
    ['suffix', { url: [{ suffix: '.ru' }] }, { url: string('lenta.ru') }, true],
    ['equals-ignore-case', { lang: [{ 'equals-ignore-case': 'EN' }] }, { lang: string('en') }, true],
    ['numeric range inside', { score: [{ numeric: ['>', 0.5, '<=', 1] }] }, { score: number(0.8) }, true],
    ['numeric range outside', { score: [{ numeric: ['>', 0.5, '<=', 1] }] }, { score: number(0.5) }, false],
    ['numeric against a String attribute', { score: [{ numeric: ['>', 0] }] }, { score: string('5') }, false],
    ['exact number', { priority: [1] }, { priority: number(1) }, true],
    ['exists true, present', { topics: [{ exists: true }] }, { topics: list('x') }, true],
    ['exists false, absent', { topics: [{ exists: false }] }, {}, true],
    ['exists false, present', { topics: [{ exists: false }] }, { topics: list('x') }, false],
    ['every key must match', { topics: ['medtop:1'], countries: ['RU'] }, { topics: list('medtop:1'), countries: list('UA') }, false],
    ['every key matches', { topics: ['medtop:1'], countries: ['RU'] }, { topics: list('medtop:1'), countries: list('RU') }, true],
  ] as const)('%s', (_case, policy, attributes, expected) => {
    // Act
    const result = matches(policy as unknown as Record<string, unknown[]>, attributes as SnsMessageAttributes);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('filter policy validation', () => {
  it.each([
    ['not an object', ['RU']],
    ['no keys', {}],
    ['a key without a list', { countries: 'RU' }],
    ['an empty list', { countries: [] }],
    ['an unknown operator', { countries: [{ wildcard: 'R*' }] }],
    ['two operators in one object', { countries: [{ prefix: 'R', suffix: 'U' }] }],
    ['a bad numeric operator', { score: [{ numeric: ['>>', 1] }] }],
    ['an inverted numeric range', { score: [{ numeric: ['>', 5, '<', 1] }] }],
    ['an empty anything-but', { status: [{ 'anything-but': [] }] }],
    ['more than five keys', { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }],
    ['more than 150 combinations', { a: Array.from({ length: 13 }, String), b: Array.from({ length: 12 }, String) }],
  ])('rejects %s', (_case, policy) => {
    // Act
    const compile = () => compileFilterPolicy(policy);

    // Assess
    expect(compile).toThrow(ValidationError);
  });
});
