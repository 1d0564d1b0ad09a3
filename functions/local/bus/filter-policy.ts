// SNS subscription filter policies over message attributes (FilterPolicyScope MessageAttributes): every key must
// match (AND), any condition of a key may match (OR), and a String.Array matches when any element does.
import { ValidationError } from '#domain/errors.js';
import { readAttributeValues } from './sns-attributes.js';
import type { SnsAttributeValue, SnsMessageAttributes } from './sns-attributes.js';

export type FilterPolicy = Record<string, unknown[]>;

type NumericOperator = '=' | '<' | '<=' | '>' | '>=';

type Condition =
  | { kind: 'equals'; value: SnsAttributeValue }
  | { kind: 'prefix'; value: string }
  | { kind: 'suffix'; value: string }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'anything-but'; values: SnsAttributeValue[] }
  | { kind: 'anything-but-prefix'; value: string }
  | { kind: 'anything-but-suffix'; value: string }
  | { kind: 'numeric'; comparisons: { operator: NumericOperator; value: number }[] }
  | { kind: 'exists'; value: boolean };

export type CompiledFilterPolicy = ReadonlyMap<string, Condition[]>;

// SNS's own limits; a policy past them is rejected when the subscription is made, so it is here too.
const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const NUMERIC_OPERATORS = new Set<string>(['=', '<', '<=', '>', '>=']);

/** Validates and compiles a policy; throws ValidationError naming the offending key, as SetSubscriptionAttributes would. */
export function compileFilterPolicy(policy: unknown): CompiledFilterPolicy {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new ValidationError('Filter policy must be an object of attribute name to a list of conditions');
  }
  const entries = Object.entries(policy);
  if (entries.length === 0) throw new ValidationError('Filter policy must name at least one attribute');
  if (entries.length > MAX_KEYS) throw new ValidationError(`Filter policy names ${entries.length} attributes, SNS allows ${MAX_KEYS}`);
  const compiled = new Map<string, Condition[]>();
  let combinations = 1;
  for (const [key, conditions] of entries) {
    if (!Array.isArray(conditions) || conditions.length === 0) {
      throw new ValidationError(`Filter policy "${key}" must be a non-empty list of conditions`);
    }
    combinations *= conditions.length;
    compiled.set(key, (conditions as unknown[]).map((condition) => compileCondition(key, condition)));
  }
  if (combinations > MAX_COMBINATIONS) {
    throw new ValidationError(`Filter policy has ${combinations} combinations, SNS allows ${MAX_COMBINATIONS}`);
  }
  return compiled;
}

export function matchesFilterPolicy(policy: CompiledFilterPolicy, attributes: SnsMessageAttributes): boolean {
  for (const [key, conditions] of policy) {
    const attribute = attributes[key];
    const values = attribute === undefined ? undefined : readAttributeValues(key, attribute);
    if (!conditions.some((condition) => matchesCondition(condition, values))) return false;
  }
  return true;
}

function matchesCondition(condition: Condition, values: SnsAttributeValue[] | undefined): boolean {
  if (condition.kind === 'exists') return condition.value === (values !== undefined);
  // Every condition but exists:false needs the attribute to be present.
  if (values === undefined) return false;
  return values.some((value) => matchesValue(condition, value));
}

function matchesValue(condition: Exclude<Condition, { kind: 'exists' }>, value: SnsAttributeValue): boolean {
  switch (condition.kind) {
    case 'equals':
      return value === condition.value;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(condition.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(condition.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === condition.value.toLowerCase();
    case 'anything-but':
      return !condition.values.includes(value);
    case 'anything-but-prefix':
      return !(typeof value === 'string' && value.startsWith(condition.value));
    case 'anything-but-suffix':
      return !(typeof value === 'string' && value.endsWith(condition.value));
    case 'numeric':
      return typeof value === 'number' && condition.comparisons.every(({ operator, value: bound }) => compareNumber(value, operator, bound));
  }
}

function compareNumber(value: number, operator: NumericOperator, bound: number): boolean {
  switch (operator) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

function compileCondition(key: string, condition: unknown): Condition {
  if (typeof condition === 'string') return { kind: 'equals', value: condition };
  if (typeof condition === 'number' && Number.isFinite(condition)) return { kind: 'equals', value: condition };
  const fail = (why: string): never => {
    throw new ValidationError(`Filter policy "${key}": ${why}`);
  };
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
    return fail(`unsupported condition ${JSON.stringify(condition)}; use a string, a number or an operator object`);
  }
  const operators = Object.entries(condition as Record<string, unknown>);
  const [first] = operators;
  if (operators.length !== 1 || first === undefined) return fail('an operator object must have exactly one operator');
  const [operator, operand] = first;
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string' || operand.length === 0) return fail(`"${operator}" needs a non-empty string`);
      return { kind: operator, value: operand };
    case 'exists':
      if (typeof operand !== 'boolean') return fail('"exists" needs true or false');
      return { kind: 'exists', value: operand };
    case 'anything-but':
      return compileAnythingBut(operand, fail);
    case 'numeric':
      return compileNumeric(operand, fail);
    default:
      return fail(`unsupported operator "${operator}"`);
  }
}

function compileAnythingBut(operand: unknown, fail: (why: string) => never): Condition {
  const isScalar = (value: unknown): value is SnsAttributeValue =>
    typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  if (isScalar(operand)) return { kind: 'anything-but', values: [operand] };
  if (Array.isArray(operand)) {
    if (operand.length === 0 || !operand.every(isScalar)) return fail('"anything-but" needs a non-empty list of strings or numbers');
    return { kind: 'anything-but', values: operand };
  }
  if (typeof operand === 'object' && operand !== null) {
    const entries = Object.entries(operand);
    const [only] = entries;
    if (entries.length === 1 && only !== undefined && (only[0] === 'prefix' || only[0] === 'suffix') && typeof only[1] === 'string' && only[1].length > 0) {
      return { kind: only[0] === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', value: only[1] };
    }
  }
  return fail('"anything-but" needs a string, a number, a list of them, or { prefix } / { suffix }');
}

function compileNumeric(operand: unknown, fail: (why: string) => never): Condition {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    return fail('"numeric" needs [operator, number] or [lower operator, number, upper operator, number]');
  }
  const comparisons: { operator: NumericOperator; value: number }[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const operator: unknown = operand[index];
    const value: unknown = operand[index + 1];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.has(operator) || typeof value !== 'number' || !Number.isFinite(value)) {
      return fail(`"numeric" has an invalid comparison ${JSON.stringify([operator, value])}`);
    }
    comparisons.push({ operator: operator as NumericOperator, value });
  }
  const [lower, upper] = comparisons;
  if (upper !== undefined && lower !== undefined) {
    const isRange = (lower.operator === '>' || lower.operator === '>=') && (upper.operator === '<' || upper.operator === '<=');
    if (!isRange || lower.value > upper.value) return fail('a two-sided "numeric" range must be [">"|">=", low, "<"|"<=", high]');
  }
  return { kind: 'numeric', comparisons };
}
