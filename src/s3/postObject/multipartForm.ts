/**
 * A streaming reader of a `multipart/form-data` POST object request (RFC 7578): the text fields
 * before the `file` field are collected (bounded in number and bytes), then the file's content is
 * handed over as a stream that ends at the next boundary — never held whole in memory. Fields after
 * the file are ignored, as S3 ignores them.
 */
import { Readable } from 'node:stream';
import { S3Error } from '../errors.js';

export interface FormLimits {
  /** Bytes of every field before the file together (names, values, part headers). */
  maxFieldBytes: number;
  maxFields: number;
}

/** S3 accepts up to 20 KB of policy; the other fields are small. */
export const DEFAULT_FORM_LIMITS: FormLimits = { maxFieldBytes: 64 * 1024, maxFields: 200 };

/** The header block of one part, bounded (it is not counted as a field's bytes). */
const MAX_PART_HEADER_BYTES = 8 * 1024;

export interface FormFile {
  /** The `filename` of the file part's Content-Disposition ('' when none). */
  filename: string;
  /** The file part's own Content-Type, when it has one. */
  contentType: string | undefined;
  /** The file's bytes, ending where its part ends; errors with MalformedPOSTRequest if the form is cut. */
  content: Readable;
}

export interface Form {
  /** Field names lowercased (S3 treats form field names case-insensitively); first value wins. */
  fields: Map<string, string>;
  file: FormFile;
}

const malformed = (why: string): S3Error =>
  new S3Error('MalformedPOSTRequest', `The body of your POST request is not well-formed multipart/form-data: ${why}.`);

/** The boundary of a `multipart/form-data; boundary=...` Content-Type. */
export function formBoundary(contentType: string | undefined): string {
  const m = /^\s*multipart\/form-data\s*;(.*)$/i.exec(contentType ?? '');
  if (!m)
    throw malformed(
      `the Content-Type is '${(contentType ?? '').slice(0, 100)}', not multipart/form-data with a boundary`,
    );
  const b = /(?:^|;)\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(m[1]);
  const boundary = b?.[1] ?? b?.[2];
  if (boundary === undefined) throw malformed('the Content-Type names no boundary (1 to 70 characters)');
  return boundary;
}

interface PartHeaders {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
}

function parsePartHeaders(block: string): PartHeaders {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`a part header line '${line.slice(0, 60)}' has no name`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = value;
  }
  if (disposition === undefined || !/^form-data\s*(;|$)/i.test(disposition))
    throw malformed('a part has no Content-Disposition: form-data header');
  const param = (p: string): string | undefined => {
    const m = new RegExp(`;\\s*${p}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(disposition);
    if (!m) return undefined;
    return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
  };
  const name = param('name');
  if (name === undefined || name === '') throw malformed('a part has no field name');
  return { name, filename: param('filename'), contentType };
}

/** The request's chunks, read one at a time by the form reader and, after it, by `drain`. */
export interface ChunkSource {
  next(): Promise<Buffer | undefined>;
  /**
   * Reads and discards what is left of the request, up to `maxBytes`: true when it ended. A client
   * gets an error answer only if its body was read (a socket closed with unread bytes is reset).
   */
  drain(maxBytes: number): Promise<boolean>;
}

export function chunkSource(request: Readable): ChunkSource {
  const it = (request as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let ended = false;
  const next = async (): Promise<Buffer | undefined> => {
    if (ended) return undefined;
    const r = await it.next();
    if (r.done) ended = true;
    return r.done ? undefined : r.value;
  };
  return {
    next,
    async drain(maxBytes) {
      for (let read = 0; read <= maxBytes;) {
        const chunk = await next().catch(() => undefined);
        if (chunk === undefined) return ended;
        read += chunk.length;
      }
      return false;
    },
  };
}

/** Bytes after the file (its closing boundary, fields S3 ignores) read so the connection stays usable. */
const MAX_TRAILING_BYTES = 64 * 1024;

/**
 * Reads `source` (the request) up to and including the file part's headers, and returns the fields
 * and the file. The file's stream must be read to its end (or destroyed) by the caller.
 */
export async function readForm(
  source: ChunkSource,
  boundary: string,
  limits: FormLimits = DEFAULT_FORM_LIMITS,
): Promise<Form> {
  // "\r\n" in front lets the first delimiter be found like every later one.
  let buf: Buffer = Buffer.from('\r\n');
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let fieldBytes = 0;
  const more = async (): Promise<boolean> => {
    const chunk = await source.next();
    if (chunk === undefined) return false;
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    return true;
  };
  /** Index of `needle` in buf, reading more until found or `max` bytes are buffered without it. */
  const find = async (needle: Buffer, max: number, what: string): Promise<number> => {
    for (;;) {
      const i = buf.indexOf(needle);
      if (i !== -1) return i;
      if (buf.length > max) throw what === 'fields' ? tooLarge() : malformed(`${what} is longer than ${max} bytes`);
      if (!(await more())) throw malformed(`the body ended inside ${what}`);
    }
  };
  const tooLarge = (): S3Error =>
    new S3Error(
      'MaxPostPreDataLengthExceededError',
      `Your POST request fields preceding the upload file were too large: more than ${limits.maxFieldBytes} bytes.`,
    );
  /** After a delimiter: "--" ends the form; otherwise the line ends and a part's headers follow. */
  const afterDelimiter = async (): Promise<'end' | 'part'> => {
    while (buf.length < 2) if (!(await more())) throw malformed('the body ended after a boundary');
    if (buf[0] === 0x2d && buf[1] === 0x2d) return 'end';
    const eol = await find(Buffer.from('\r\n'), 256, 'a boundary line');
    if (buf.subarray(0, eol).toString('latin1').trim() !== '') throw malformed('a boundary line has trailing data');
    buf = buf.subarray(eol + 2);
    return 'part';
  };

  // The preamble (anything before the first boundary) is skipped, bounded like the fields.
  const first = await find(delimiter, limits.maxFieldBytes, 'fields');
  buf = buf.subarray(first + delimiter.length);
  const fields = new Map<string, string>();
  let count = 0;
  for (;;) {
    if ((await afterDelimiter()) === 'end') throw malformed('the form has no file field');
    const headerEnd = await find(Buffer.from('\r\n\r\n'), MAX_PART_HEADER_BYTES, "a part's headers");
    const headers = parsePartHeaders(buf.subarray(0, headerEnd).toString('utf8'));
    buf = buf.subarray(headerEnd + 4);
    if (headers.name.toLowerCase() === 'file') {
      return {
        fields,
        file: {
          filename: headers.filename ?? '',
          contentType: headers.contentType,
          content: Readable.from(fileContent(), { objectMode: false }),
        },
      };
    }
    if (count >= limits.maxFields) throw malformed(`the form has more than ${limits.maxFields} fields before the file`);
    const end = await find(delimiter, limits.maxFieldBytes - fieldBytes, 'fields');
    fieldBytes += end + headers.name.length;
    if (fieldBytes > limits.maxFieldBytes) throw tooLarge();
    const key = headers.name.toLowerCase();
    count++;
    if (!fields.has(key)) fields.set(key, buf.subarray(0, end).toString('utf8'));
    buf = buf.subarray(end + delimiter.length);
  }

  /** The file's bytes: everything up to the next delimiter, passed on as it arrives. */
  async function* fileContent(): AsyncGenerator<Buffer> {
    const keep = delimiter.length - 1;
    for (;;) {
      const i = buf.indexOf(delimiter);
      if (i !== -1) {
        if (i > 0) yield buf.subarray(0, i);
        buf = Buffer.alloc(0);
        // What follows the file is ignored, but read (bounded), so the answer reaches the client.
        await source.drain(MAX_TRAILING_BYTES);
        return;
      }
      // Bytes that cannot be the start of a delimiter go on; a possible partial one waits.
      if (buf.length > keep) {
        const out = buf.subarray(0, buf.length - keep);
        buf = buf.subarray(buf.length - keep);
        yield out;
      }
      if (!(await more())) throw malformed('the body ended inside the file (no closing boundary)');
    }
  }
}
