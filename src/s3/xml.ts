/**
 * S3 XML: one writer (string building, every text value escaped) and one bounded reader for
 * request documents (fast-xml-parser). Element names come from code, never from input.
 */
import type { Readable } from 'node:stream';
import { XMLParser } from 'fast-xml-parser';
import { readAtMost } from '../domain/objects/body.js';
import { S3Error } from './errors.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The largest XML request document read (DeleteObjects with 1000 long keys fits). */
export const MAX_XML_BODY_BYTES = 2 * 1024 * 1024;

/** Any character ESCAPE_ALL may replace (any surrogate: `replace` tells pairs from lone halves). */
// eslint-disable-next-line no-control-regex -- control characters are among those to escape
const ESCAPE_NEEDED = /[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
/**
 * What is escaped: markup characters, CR, the control characters XML 1.0 cannot hold as text, U+FFFE/
 * U+FFFF and unpaired surrogates. A surrogate pair (an astral character such as an emoji) is text:
 * a char ref to one half of it would not be well-formed XML.
 */
const ESCAPE_ALL =
  // eslint-disable-next-line no-control-regex -- control characters are among those to escape
  /[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    case "'":
      return '&apos;';
    default:
      return `&#x${c.charCodeAt(0).toString(16)};`;
  }
}

/** Escapes text for element content or attribute values; control characters become char refs. */
export function escapeXml(text: string): string {
  return ESCAPE_NEEDED.test(text) ? text.replace(ESCAPE_ALL, escapeChar) : text;
}

/**
 * `text` as one flat string. V8 keeps a concatenation as a tree of its pieces; a piece reused in
 * every row of a document is flattened once here, so encoding the document does not walk its
 * parts again for each row. (Through UTF-8 and back, which is exact for text without surrogates:
 * other text is returned as it is.)
 */
export function flatString(text: string): string {
  return SURROGATE.test(text) ? text : Buffer.from(text, 'utf8').toString('utf8');
}
const SURROGATE = /[\ud800-\udfff]/;

/** Characters of pending text after which a writer encodes it (ropes of a few KiB flatten cheaply). */
const SPILL_CHARS = 16 * 1024;
/** The buffer a spilled document is encoded into (a 1000-key listing is about 200-300 KiB). */
const SPILL_BUFFER_BYTES = 256 * 1024;
/**
 * Spill buffers handed back by `XmlWriter.release()` once their response was written, for later
 * documents: a fresh 256 KiB buffer per listing is memory the kernel maps, faults in page by page
 * and unmaps again each time (about 0.35 ms of CPU per 1000-key listing on the 2-vCPU test machine).
 * At most this many are kept (4 MiB).
 */
const SPILL_POOL_SIZE = 16;
const spillPool: Buffer[] = [];

/**
 * Builds one document by string concatenation (V8 ropes: cheapest for thousands of rows). Past
 * 16 Ki characters the text so far is written as UTF-8 into one large buffer (`write` into room
 * already there: a single pass, where Buffer.from measures the text first and allocates per piece),
 * so a 1000-row listing never flattens one deep rope and its bytes are not copied again. `elem`
 * escapes its value and skips undefined; element names are trusted constants. A writer that has
 * spilled is finished by `bytes()`/`done()`: both give the same document, and writing more throws.
 * Its 256 KiB buffers come from a small pool and go back with `release()` (S3Reply.xml does that
 * when the response has been written).
 */
export class XmlWriter {
  private out: string;
  private readonly root: string;
  /** Full buffers before `buf` (only for documents larger than SPILL_BUFFER_BYTES). */
  private filled: Buffer[] | undefined;
  private buf: Buffer | undefined;
  private len = 0;
  private finished: Buffer[] | undefined;
  /** Buffers taken from the spill pool (what `release` gives back). */
  private pooled: Buffer[] | undefined;
  private released = false;
  constructor(root: string, xmlns: string | null = S3_XMLNS) {
    this.out = xmlns === null ? PROLOG + '<' + root + '>' : PROLOG + '<' + root + ' xmlns="' + xmlns + '">';
    this.root = root;
  }

  open(name: string): this {
    this.out += '<' + name + '>';
    return this;
  }
  close(name: string): this {
    this.out += '</' + name + '>';
    return this;
  }
  elem(name: string, value: string | number | boolean | undefined | null): this {
    if (value === undefined || value === null) return this;
    this.out += '<' + name + '>' + (typeof value === 'string' ? escapeXml(value) : String(value)) + '</' + name + '>';
    return this;
  }
  /** Trusted, already-escaped XML (literal tags around values passed through escapeXml); never raw input. */
  raw(xml: string): this {
    this.out += xml;
    if (this.out.length > SPILL_CHARS) this.spill();
    return this;
  }
  /** Same as `raw` (kept for callers that embed a fragment built elsewhere). */
  fragment(xml: string): this {
    return this.raw(xml);
  }
  /** The document as text. */
  done(): string {
    if (this.released) throw new Error('XmlWriter: the document was released');
    return this.buf === undefined ? this.out + '</' + this.root + '>' : this.bytes().toString('utf8');
  }
  /** The document as UTF-8 bytes, in one buffer. */
  bytes(): Buffer {
    const parts = this.parts();
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /**
   * The document as UTF-8 bytes in order, in one buffer or, for a document that spilled over
   * SPILL_BUFFER_BYTES, several (what `S3Reply.xml` sends with one writev: no concatenation copy).
   */
  parts(): readonly Buffer[] {
    if (this.released) throw new Error('XmlWriter: the document was released');
    if (this.buf === undefined) return [Buffer.from(this.out + '</' + this.root + '>', 'utf8')];
    if (this.finished === undefined) {
      this.out += '</' + this.root + '>';
      this.spill();
      this.finished = [...(this.filled ?? []), this.buf.subarray(0, this.len)];
    }
    return this.finished;
  }

  /** True while the document's bytes sit in buffers that `release` would give back for reuse. */
  holdsPooledBuffers(): boolean {
    return this.pooled !== undefined;
  }

  /**
   * Gives the writer's pooled buffers back for later documents. Only once nothing reads the bytes
   * from `parts()` or `bytes()` any more (they are overwritten): S3Reply.xml calls it when the
   * response has been handed to the socket. The writer cannot be used after.
   */
  release(): void {
    this.released = true;
    for (const b of this.pooled ?? []) if (spillPool.length < SPILL_POOL_SIZE) spillPool.push(b);
    this.pooled = undefined;
    this.buf = undefined;
    this.filled = undefined;
    this.finished = undefined;
    this.out = '';
  }

  /** Encodes the pending text at the end of `buf` (a new one when it might not fit: 3 bytes per UTF-16 unit at most). */
  private spill(): void {
    if (this.finished !== undefined || this.released) throw new Error('XmlWriter: the document is already finished');
    const room = this.out.length * 3;
    if (this.buf === undefined || this.buf.length - this.len < room) {
      if (this.buf !== undefined) (this.filled ??= []).push(this.buf.subarray(0, this.len));
      if (room <= SPILL_BUFFER_BYTES) {
        this.buf = spillPool.pop() ?? Buffer.allocUnsafe(SPILL_BUFFER_BYTES);
        (this.pooled ??= []).push(this.buf);
      } else {
        this.buf = Buffer.allocUnsafe(room);
      }
      this.len = 0;
    }
    this.len += this.buf.write(this.out, this.len, 'utf8');
    this.out = '';
  }
}

/** A document whose root element holds only text, e.g. `<LocationConstraint>`. */
export function xmlTextDocument(root: string, text: string, xmlns: string = S3_XMLNS): string {
  return `${PROLOG}<${root} xmlns="${xmlns}">${escapeXml(text)}</${root}>`;
}

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** Milliseconds as the end of an ISO date: '000Z'…'999Z'. */
const PAD3Z: readonly string[] = PAD3.map((p) => p + 'Z');
const DAY_MS = 86_400_000;
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * ISO 8601 with milliseconds (`2026-11-29T13:45:07.123Z`), as S3 listings show LastModified.
 * Same output as Date#toISOString, computed arithmetically (civil-from-days), about 30x cheaper
 * per listing row.
 */
export function isoMillis(epochMs: number): string {
  if (!(epochMs >= 0 && epochMs < YEAR_10000_MS) || !Number.isInteger(epochMs)) return new Date(epochMs).toISOString();
  const days = Math.floor(epochMs / DAY_MS);
  let rem = epochMs - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const m = Math.floor(rem / 60_000);
  rem -= m * 60_000;
  const sec = Math.floor(rem / 1000);
  return `${year}-${PAD2[month]}-${PAD2[day]}T${PAD2[h]}:${PAD2[m]}:${PAD2[sec]}.${PAD3[rem - sec * 1000]}Z`;
}

/**
 * `isoMillis` for the rows of one listing: the text up to the seconds is kept from the previous
 * call, so rows written in the same second (common: a page is one key range, often uploaded
 * together) cost one table lookup and one concatenation. One formatter per document.
 */
export class IsoMillisFormatter {
  private second = -1;
  private head = '';

  format(epochMs: number): string {
    if (!(epochMs >= 0 && epochMs < YEAR_10000_MS) || !Number.isInteger(epochMs)) return isoMillis(epochMs);
    const second = Math.floor(epochMs / 1000);
    if (second !== this.second) {
      this.head = isoMillis(second * 1000).slice(0, 20); // YYYY-MM-DDTHH:MM:SS.
      this.second = second;
    }
    return this.head + PAD3Z[epochMs - second * 1000];
  }
}

/** RFC 7231 date, as S3 sends Last-Modified. */
export const httpDate = (epochMs: number): string => new Date(epochMs).toUTCString();

/** Reads a whole request document, refusing more than `limit` bytes (MaxMessageLengthExceeded). */
export function readBoundedBody(body: Readable, limit = MAX_XML_BODY_BYTES): Promise<Buffer> {
  return readAtMost(
    body,
    limit,
    () => new S3Error('MaxMessageLengthExceeded', `Your request document is larger than the ${limit}-byte limit.`),
  );
}

/** A parse failure the reader reports as MalformedXML with this message. */
class XmlRefused extends Error {}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Every `&`, with what follows up to `;` when that forms a reference. */
const REFERENCE = /&(?:(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*);)?/g;

/** A code point XML 1.0 allows as a character (its production `Char`). */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * The entity handling of every request document, in place of fast-xml-parser's own: a document
 * type declaration is refused (no internal or external entities, no DTD at all), text may hold the
 * five predefined entities and character references to XML 1.0 characters, and anything else after
 * `&` (an undeclared entity, a bare `&`) makes the document malformed instead of staying as text.
 */
const strictEntities = {
  setExternalEntities(): void {},
  addInputEntities(): void {
    throw new XmlRefused('a document type declaration (<!DOCTYPE>) is not allowed.');
  },
  reset(): void {},
  setXmlVersion(): void {},
  decode(text: string): string {
    if (!text.includes('&')) return text;
    return text.replace(REFERENCE, (whole, ref: string | undefined) => {
      if (ref === undefined) throw new XmlRefused("an '&' that does not start a reference must be written &amp;.");
      if (ref.startsWith('#')) {
        const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!isXmlChar(cp)) throw new XmlRefused(`the character reference ${whole} is not an XML 1.0 character.`);
        return String.fromCodePoint(cp);
      }
      const value = PREDEFINED[ref];
      if (value === undefined) throw new XmlRefused(`the entity reference &${ref.slice(0, 64)}; is not declared.`);
      return value;
    });
  },
};

/** One parser configuration for every request document: text kept as strings, no DTD, strict entities. */
export interface XmlReader {
  parse(doc: Buffer | string, rootName: string): Record<string, unknown>;
}

export function createXmlReader(): XmlReader {
  const parser = new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    entityDecoder: strictEntities,
    ignoreDeclaration: true,
  });
  return {
    parse(doc, rootName) {
      const text = typeof doc === 'string' ? doc : doc.toString('utf8');
      if (text.trim() === '')
        throw new S3Error('MalformedXML', `The request body is empty; expected a <${rootName}> document.`);
      let parsed: unknown;
      try {
        parsed = parser.parse(text, true);
      } catch (err) {
        throw new S3Error('MalformedXML', `The XML you provided was not well-formed: ${(err as Error).message}`);
      }
      const root = (parsed as Record<string, unknown>)[rootName];
      if (root === undefined)
        throw new S3Error('MalformedXML', `The XML you provided does not have the root element <${rootName}>.`);
      if (root === '') return {};
      if (typeof root !== 'object' || root === null || Array.isArray(root)) {
        throw new S3Error('MalformedXML', `The XML you provided has an unexpected <${rootName}> element.`);
      }
      return root as Record<string, unknown>;
    },
  };
}

/** A child that may appear once or repeated, as an array. */
export function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A child's text (elements with no children parse to strings). */
export function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
