import { Readable } from 'node:stream';
import type { BlobStore } from '../ports/BlobStore.js';

/** A body opened here may hand its chunks' buffers back for reuse (see RecyclingReadable). */
export { isRecycling } from '../ports/BlobStore.js';
import { objectError } from './limits.js';
import type { ObjectRecord, ObjectSegment } from '../ports/objectRecords.js';

/**
 * Reads a stream whole, never holding more than `limit` bytes: past that the stream is destroyed
 * and `tooLong(bytesSoFar)` is thrown. One chunk comes back as it is (no copy).
 */
export async function readAtMost(
  body: Readable,
  limit: number,
  tooLong: (bytesSoFar: number) => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const c = chunk as Buffer;
    size += c.length;
    if (size > limit) {
      body.destroy();
      throw tooLong(size);
    }
    chunks.push(c);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

/** An inclusive byte range of an object. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A Readable of bytes [start, end] of an object made of segments. A single segment is the blob's
 * own stream (opened at once); several are concatenated lazily, each blob opened when reached.
 */
export function openSegments(
  blobs: BlobStore,
  segments: readonly ObjectSegment[],
  size: number,
  range?: ByteRange,
): Readable {
  const r = range ?? { start: 0, end: size - 1 };
  if (size === 0 || r.end < r.start) return Readable.from([]);
  if (r.start < 0 || r.end >= size) {
    throw objectError(
      'InvalidInput',
      'range_not_satisfiable',
      `The requested range ${r.start}-${r.end} is not satisfiable for an object of ${size} bytes`,
    );
  }
  const pieces: { blobId: string; start: number; end: number; inline?: Buffer }[] = [];
  let pos = 0;
  for (const s of segments) {
    const segStart = pos;
    const segEnd = pos + s.length - 1;
    pos += s.length;
    if (s.length === 0 || segEnd < r.start || segStart > r.end) continue;
    const from = Math.max(r.start, segStart) - segStart + s.offset;
    const to = Math.min(r.end, segEnd) - segStart + s.offset;
    pieces.push(
      s.inline
        ? { blobId: s.blobId, start: from, end: to, inline: s.inline }
        : { blobId: s.blobId, start: from, end: to },
    );
  }
  if (pos !== size) throw new Error(`object segments hold ${pos} bytes but the object has ${size}`);
  if (pieces.length === 1) {
    const p = pieces[0];
    return p.inline
      ? bufferStream(p.inline.subarray(p.start, p.end + 1))
      : blobs.get(p.blobId, { start: p.start, end: p.end });
  }
  async function* concat() {
    for (const p of pieces) {
      if (p.inline) yield p.inline.subarray(p.start, p.end + 1);
      else for await (const chunk of blobs.get(p.blobId, { start: p.start, end: p.end })) yield chunk as Buffer;
    }
  }
  return Readable.from(concat(), { objectMode: false });
}

/** A Readable of one buffer, without an async iterator per read. */
function bufferStream(bytes: Buffer): Readable {
  const r = new Readable({
    read() {
      /* everything was pushed up front */
    },
  });
  r.push(bytes);
  r.push(null);
  return r;
}

/**
 * The bytes [start, end] of an object whose body is one inline segment (kept in the object index),
 * or undefined when the body lives in blobs (or the segments were not loaded). The range is
 * assumed valid (the caller resolved it against the size).
 */
export function inlineBytes(o: ObjectRecord, range?: ByteRange): Buffer | undefined {
  const s = o.segments;
  if (o.size === 0) return o.isDeleteMarker || o.partsCount > 0 ? undefined : Buffer.alloc(0);
  if (s.length !== 1 || !s[0].inline) return undefined;
  const r = range ?? { start: 0, end: o.size - 1 };
  return s[0].inline.subarray(s[0].offset + r.start, s[0].offset + r.end + 1);
}

/**
 * Byte range of part `partNumber` of a completed multipart object, by the number the part was
 * uploaded with (a completion may skip numbers: parts 1, 3, 4). A single-part object has part 1.
 * Segments must be loaded.
 */
export function partRange(o: ObjectRecord, partNumber: number): ByteRange & { partsCount: number } {
  const partsCount = Math.max(o.partsCount, 1);
  const missing = () =>
    objectError(
      'InvalidInput',
      'part_number_not_satisfiable',
      `The requested partnumber ${partNumber} is not satisfiable: the object has ${partsCount} part(s)${o.partsCount > 0 ? ' numbered ' + [...new Set(o.segments.map((s) => s.partNumber))].join(',') : ''}`,
    );
  if (!Number.isInteger(partNumber) || partNumber < 1) throw missing();
  if (o.partsCount === 0) {
    if (partNumber !== 1) throw missing();
    return { start: 0, end: o.size - 1, partsCount };
  }
  if (o.segments.length === 0 && o.size > 0)
    throw new Error(`object ${o.key} was read without its segments; part ranges need them`);
  let pos = 0;
  let start = -1;
  let end = -1;
  for (const s of o.segments) {
    if (s.partNumber === partNumber) {
      if (start < 0) start = pos;
      end = pos + s.length - 1;
    }
    pos += s.length;
  }
  if (start < 0) throw missing();
  return { start, end, partsCount };
}
