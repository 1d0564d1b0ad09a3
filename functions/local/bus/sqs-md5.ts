// The digests SQS puts on every received message, computed the way SQS does so handlers that verify them pass.
import { createHash } from 'node:crypto';

export interface LocalMessageAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64, as in Lambda's SQS event. */
  binaryValue?: string;
}

export type LocalMessageAttributes = Record<string, LocalMessageAttribute>;

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/** SQS's documented encoding: per attribute, sorted by name, length-prefixed name, type, transport byte, value. */
export function md5OfMessageAttributes(attributes: LocalMessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const writeField = (value: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(value.length);
    hash.update(length);
    hash.update(value);
  };
  for (const name of names) {
    const attribute = attributes[name];
    if (attribute === undefined) continue;
    writeField(Buffer.from(name, 'utf8'));
    writeField(Buffer.from(attribute.dataType, 'utf8'));
    if (attribute.binaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      writeField(Buffer.from(attribute.binaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      writeField(Buffer.from(attribute.stringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}
