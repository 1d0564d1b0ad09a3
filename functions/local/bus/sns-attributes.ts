// SNS message attributes as Publish takes them, checked the way SNS checks them before accepting a message.
import { ValidationError } from '#domain/errors.js';

export interface SnsMessageAttribute {
  DataType: 'String' | 'String.Array' | 'Number';
  StringValue: string;
}

export type SnsMessageAttributes = Record<string, SnsMessageAttribute>;

/** One comparable value per attribute, or one per element of a String.Array. */
export type SnsAttributeValue = string | number;

const MAX_ATTRIBUTES = 10;

export function validateSnsAttributes(attributes: SnsMessageAttributes): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) {
    throw new ValidationError(`${names.length} message attributes, SNS allows ${MAX_ATTRIBUTES}`);
  }
  for (const name of names) {
    const attribute = attributes[name];
    if (attribute === undefined || typeof attribute.StringValue !== 'string') {
      throw new ValidationError(`Message attribute "${name}" needs a StringValue`);
    }
    readAttributeValues(name, attribute);
  }
}

/** Decodes an attribute into the values a filter policy compares; throws ValidationError on a malformed value. */
export function readAttributeValues(name: string, attribute: SnsMessageAttribute): SnsAttributeValue[] {
  switch (attribute.DataType) {
    case 'String':
      return [attribute.StringValue];
    case 'Number': {
      const value = Number(attribute.StringValue);
      if (attribute.StringValue.trim() === '' || !Number.isFinite(value)) {
        throw new ValidationError(`Message attribute "${name}" is a Number but "${attribute.StringValue}" is not a number`);
      }
      return [value];
    }
    case 'String.Array': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(attribute.StringValue);
      } catch (error: unknown) {
        throw new ValidationError(`Message attribute "${name}" is a String.Array but its value is not JSON`, [], { cause: error });
      }
      if (!Array.isArray(parsed)) {
        throw new ValidationError(`Message attribute "${name}" is a String.Array but its value is not a JSON array`);
      }
      // Booleans and nulls are legal elements but no supported filter condition can match them.
      return (parsed as unknown[]).filter((element): element is SnsAttributeValue => typeof element === 'string' || typeof element === 'number');
    }
    default:
      throw new ValidationError(
        `Message attribute "${name}" has DataType "${String((attribute as { DataType: unknown }).DataType)}"; use String, String.Array or Number`,
      );
  }
}
