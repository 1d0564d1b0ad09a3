// Feed bytes to text. We decode the bytes ourselves (rss-parser only sees a JS string): a BOM or the UTF-16/32
// layout of `<`, then the Content-Type charset, then the XML declaration, then UTF-8, then statistical detection.
// A .xml.gz served as the body itself is gunzipped first.
import chardet from 'chardet';
import { TextDecoder } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { FeedError } from '#domain/errors.js';
import type { ParsedFeed } from '#domain/feed-item.js';

const BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  // UTF-32 before UTF-16: FF FE 00 00 also starts with the UTF-16LE mark.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

function bomEncoding(body: Uint8Array): string | undefined {
  return BOMS.find(({ bytes }) => bytes.every((byte, index) => body[index] === byte))?.encoding;
}

function isNameStart(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x21 || byte === 0x5f;
}

/** XML 1.0 appendix F: without a BOM, UTF-16/32 still show themselves in how `<` is laid out in the first bytes. */
function sniffWideEncoding(body: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = body;
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0x00 && b3 === 0x3c) return 'utf-32be';
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x00 && b3 === 0x00) return 'utf-32le';
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return 'utf-16le';
  // No declaration at all: the root element's "<r" still shows the layout.
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 !== undefined && isNameStart(b3)) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00 && b2 !== undefined && isNameStart(b2) && b3 === 0x00) return 'utf-16le';
  return undefined;
}

function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*["']?([^"';\s]+)["']?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

function charsetFromDeclaration(body: Uint8Array): string | undefined {
  // The declaration is ASCII in every encoding we can read without a BOM, so latin1 shows it faithfully.
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, 1024)).toString('latin1');
  const match = /<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  return match?.[1]?.trim().toLowerCase();
}

/** Node's TextDecoder (full ICU) reads every WHATWG encoding; UTF-32 is not one, so it is decoded here. */
interface Decoder {
  encoding: string;
  decode(bytes: Uint8Array, fatal: boolean): string;
}

function utf32Decoder(encoding: 'utf-32le' | 'utf-32be'): Decoder {
  const littleEndian = encoding === 'utf-32le';
  return {
    encoding,
    decode(bytes, fatal) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const parts: string[] = [];
      let chunk: number[] = [];
      const whole = bytes.length - (bytes.length % 4);
      if (fatal && whole !== bytes.length) throw new TypeError('truncated UTF-32');
      for (let offset = 0; offset < whole; offset += 4) {
        let code = view.getUint32(offset, littleEndian);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
          if (fatal) throw new TypeError(`invalid UTF-32 code point ${code}`);
          code = 0xfffd;
        }
        if (offset === 0 && code === 0xfeff) continue;
        chunk.push(code);
        // fromCodePoint takes its arguments on the stack: keep each call small.
        if (chunk.length === 8192) {
          parts.push(String.fromCodePoint(...chunk));
          chunk = [];
        }
      }
      parts.push(String.fromCodePoint(...chunk));
      if (whole !== bytes.length) parts.push('\ufffd');
      return parts.join('');
    },
  };
}

/** Names chardet and real feeds use that WHATWG spells differently or not at all. */
const LABEL_ALIASES: Record<string, string> = {
  'utf-32': 'utf-32be',
  ucs4: 'utf-32be',
  'ucs-4': 'utf-32be',
  'iso-10646-ucs-4': 'utf-32be',
  'utf-32le': 'utf-32le',
  'utf-32be': 'utf-32be',
  'utf-16': 'utf-16le',
  gb2312: 'gbk',
  'x-euc-kr': 'euc-kr',
  cp1251: 'windows-1251',
  cp1252: 'windows-1252',
};

/** windows-1252's 0x80-0x9F (WHATWG index); the five undefined bytes stay the C1 controls they map to. */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder takes a latin1 shortcut for windows-1252 and leaves 0x80-0x9F as C1 controls (so "€" comes
 * out as U+0080). Mapping them afterwards is right on every Node: a correct decoder leaves none to map.
 */
function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH.charAt(char.charCodeAt(0) - 0x80));
}

function decoderFor(label: string): Decoder | undefined {
  const name = LABEL_ALIASES[label] ?? label;
  if (name === 'utf-32le' || name === 'utf-32be') return utf32Decoder(name);
  let encoding: string;
  try {
    encoding = new TextDecoder(name).encoding;
  } catch {
    return undefined;
  }
  // "replacement" is WHATWG's sink for dangerous labels (iso-2022-kr, hz-gb-2312): it decodes nothing useful.
  if (encoding === 'replacement') return undefined;
  if (encoding === 'windows-1252') {
    return { encoding, decode: (bytes, fatal) => fixWindows1252(new TextDecoder(name, { fatal }).decode(bytes)) };
  }
  return { encoding, decode: (bytes, fatal) => new TextDecoder(name, { fatal }).decode(bytes) };
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8, or undefined when they are not valid UTF-8. Decoded once and reused: feeds are big. */
function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

function isAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte > 0x7f) return false;
  return true;
}

const WIDE = /^utf-(?:16|32)/;
const UTF8_OR_WIDE = /^utf-(?:8|16|32)/;

export type EncodingSource = NonNullable<ParsedFeed['encodingSource']>;

export interface DecodedFeed {
  text: string;
  /** The encoding used: a WHATWG name ("utf-8", "windows-1251", "gbk", "utf-16le") or "utf-32le"/"utf-32be". */
  encoding: string;
  source: EncodingSource;
}

/**
 * Decodes feed bytes. Order: a BOM (or UTF-16/32 layout of `<?`), which cannot lie; then the Content-Type charset;
 * then the XML declaration; then UTF-8 when the bytes are valid UTF-8; then statistical detection (chardet).
 * Two kinds of lying labels are common and are overruled: an 8-bit label (iso-8859-1, windows-1252) on bytes that
 * are valid non-ASCII UTF-8 (a server default or a copied template: real 8-bit text is almost never valid UTF-8),
 * and a UTF-8 label on bytes that are not UTF-8. Throws FeedError 'unsupported-encoding' when the label names a
 * charset we cannot decode and the bytes are not UTF-8, or detection finds nothing we can decode.
 */
export function decodeFeed(body: Uint8Array, contentType?: string): DecodedFeed {
  const bom = bomEncoding(body);
  const sniffed = bom ?? sniffWideEncoding(body);
  if (sniffed !== undefined) {
    const decoder = decoderFor(sniffed);
    if (decoder !== undefined) {
      // A BOM wins even over bad bytes in the body: a replacement character beats a wrong charset everywhere.
      return { text: decoder.decode(body, false), encoding: decoder.encoding, source: bom === undefined ? 'sniffed' : 'bom' };
    }
  }

  const utf8Text = strictUtf8(body);
  const utf8 = utf8Text !== undefined;
  const labels: { label: string | undefined; source: EncodingSource }[] = [
    { label: charsetFromContentType(contentType), source: 'header' },
    { label: charsetFromDeclaration(body), source: 'declaration' },
  ];
  const unsupported: string[] = [];
  for (const { label, source } of labels) {
    if (label === undefined) continue;
    const decoder = decoderFor(label);
    if (decoder === undefined) {
      unsupported.push(label);
      continue;
    }
    // A UTF-16/32 label on bytes without a wide layout (we read the declaration as ASCII) is wrong.
    if (WIDE.test(decoder.encoding)) continue;
    if (decoder.encoding === 'utf-8') {
      if (utf8) return { text: utf8Text, encoding: 'utf-8', source };
      continue;
    }
    if (utf8 && !isAscii(body)) break;
    return { text: decoder.decode(body, false), encoding: decoder.encoding, source };
  }
  if (utf8) return { text: utf8Text, encoding: 'utf-8', source: 'default' };
  if (unsupported.length > 0) {
    throw new FeedError(
      'unsupported-encoding',
      `Cannot decode the feed: unsupported charset ${unsupported.join(', ')} and the bytes are not UTF-8`,
    );
  }
  const detected = detectEncoding(body);
  if (detected === undefined) {
    throw new FeedError('unsupported-encoding', 'The bytes are not UTF-8, carry no charset, and detection found none we can decode');
  }
  return { text: detected.decode(body, false), encoding: detected.encoding, source: 'detected' };
}

function detectEncoding(body: Uint8Array): Decoder | undefined {
  // chardet ranks by confidence; the first candidate we can decode and that is not itself UTF-8/16/32 (which we
  // would have recognised above) is taken.
  for (const match of chardet.analyse(body.subarray(0, 64 * 1024))) {
    const decoder = decoderFor(match.name.toLowerCase());
    if (decoder !== undefined && !UTF8_OR_WIDE.test(decoder.encoding)) return decoder;
  }
  return undefined;
}

/** The body as text; see decodeFeed for the order of evidence. */
export function decodeFeedBytes(body: Buffer, contentType?: string): string {
  return decodeFeed(body, contentType).text;
}

/** Same cap as the fetcher's default: a feed is never legitimately bigger once decompressed. */
const MAX_GUNZIPPED_BYTES = 15 * 1024 * 1024;

/** Some servers send a .xml.gz as the body itself (no Content-Encoding); the gzip magic number gives it away. */
export function gunzipIfCompressed(body: Buffer, maxBytes = MAX_GUNZIPPED_BYTES): Buffer {
  if (body[0] !== 0x1f || body[1] !== 0x8b || body[2] !== 0x08) return body;
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (error: unknown) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FeedError('too-large', `Gzipped feed expands beyond ${maxBytes} bytes`, { cause: error });
    }
    throw new FeedError('decompression', 'The body looks gzipped but does not decompress', { cause: error });
  }
}
