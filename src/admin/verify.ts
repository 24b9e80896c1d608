/**
 * `sailbucket verify`: checks that the metadata and the blobs agree. Against one snapshot of the
 * metadata (blob deletion held off meanwhile, as for a backup), every object version, multipart
 * segment, unfinished upload part and inline body is read back: its blob must exist, have the size
 * the metadata gives, and match the stored MD5 (a plain ETag) and checksum. Then every blob file is
 * looked up: one no row references and older than the orphan grace period is an orphan. Progress goes
 * to stderr, a summary and up to MAX_LISTED problems to stdout; problems make the command exit 1.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createChecksum, decodeDigestValue, parseChecksumAlgorithm } from '../crypto/checksums.js';
import { BlobInventory, type BlobUse } from '../store/metadata/sqlite/blobInventory.js';
import { blobFile } from './blobFiles.js';
import { throttled, type AdminContext, type TaskOutput, type TaskResult } from './context.js';

const MAX_LISTED = 1000;
/** The orphan sweep's grace period: a younger unreferenced blob may belong to a write in flight. */
const ORPHAN_GRACE_MS = 10 * 60_000;
const ORPHAN_BATCH = 500;

interface Counts {
  uses: number;
  inline: number;
  bytes: number;
  missing: number;
  sizeMismatch: number;
  checksumMismatch: number;
  orphaned: number;
  recentUnreferenced: number;
  blobFiles: number;
}

async function digestsOf(
  chunks: AsyncIterable<Buffer> | Buffer[],
  use: BlobUse,
): Promise<{ length: number; md5?: string; checksum?: Buffer }> {
  const md5 = use.md5 ? createChecksum('MD5') : undefined;
  const algorithm = use.checksum ? parseChecksumAlgorithm(use.checksum.algorithm) : undefined;
  const sum = algorithm ? createChecksum(algorithm) : undefined;
  let length = 0;
  for await (const c of chunks) {
    length += c.length;
    md5?.update(c);
    sum?.update(c);
  }
  return {
    length,
    ...(md5 ? { md5: (await md5.digest()).toString('hex') } : {}),
    ...(sum ? { checksum: await sum.digest() } : {}),
  };
}

export async function runVerify(ctx: AdminContext, out: TaskOutput): Promise<TaskResult> {
  const started = Date.now();
  const release = ctx.blobs.hold();
  const inventory = new BlobInventory(ctx.metadataPath);
  const c: Counts = {
    uses: 0,
    inline: 0,
    bytes: 0,
    missing: 0,
    sizeMismatch: 0,
    checksumMismatch: 0,
    orphaned: 0,
    recentUnreferenced: 0,
    blobFiles: 0,
  };
  const listed: string[] = [];
  const problem = (line: string) => {
    if (listed.length < MAX_LISTED) listed.push(line);
  };
  const say = throttled(out);
  const report = (force = false) =>
    say(
      () =>
        `verify: ${c.uses} uses checked (${(c.bytes / 1024 / 1024).toFixed(1)} MiB read), ${c.missing + c.sizeMismatch + c.checksumMismatch} problems so far`,
      force,
    );
  try {
    out.progress(`verify: checking ${ctx.dataDir}`);
    for (const use of inventory.uses()) {
      c.uses++;
      report();
      let facts: { length: number; md5?: string; checksum?: Buffer };
      let blobSize = use.length;
      if (use.blobId === undefined) {
        c.inline++;
        facts = await digestsOf([use.inline!], use);
      } else {
        const path = blobFile(ctx.blobRoot, use.blobId);
        try {
          blobSize = (await stat(path)).size;
        } catch {
          c.missing++;
          problem(`missing blob: ${use.where}: blob ${use.blobId} does not exist`);
          continue;
        }
        const end = use.offset + use.length;
        if ((use.wholeBlob && blobSize !== use.length) || blobSize < end) {
          c.sizeMismatch++;
          problem(
            `size mismatch: ${use.where}: blob ${use.blobId} has ${blobSize} bytes, the metadata says ${use.wholeBlob ? '' : 'at least '}${use.wholeBlob ? use.length : end}`,
          );
          continue;
        }
        facts =
          use.length === 0
            ? await digestsOf([], use)
            : await digestsOf(
                createReadStream(path, { start: use.offset, end: end - 1 }) as AsyncIterable<Buffer>,
                use,
              );
      }
      c.bytes += facts.length;
      const label = use.blobId === undefined ? 'inline body' : `blob ${use.blobId}`;
      if (facts.length !== use.length) {
        c.sizeMismatch++;
        problem(`size mismatch: ${use.where}: ${label} has ${facts.length} bytes, the metadata says ${use.length}`);
        continue;
      }
      if (use.md5 !== undefined && facts.md5 !== use.md5) {
        c.checksumMismatch++;
        problem(`checksum mismatch: ${use.where}: ${label} has MD5 ${facts.md5}, the ETag says ${use.md5}`);
        continue;
      }
      if (use.checksum && facts.checksum) {
        const algorithm = parseChecksumAlgorithm(use.checksum.algorithm)!;
        const expected = decodeDigestValue(algorithm, use.checksum.value);
        if (!expected || !expected.equals(facts.checksum)) {
          c.checksumMismatch++;
          problem(
            `checksum mismatch: ${use.where}: ${label} has ${algorithm} ${facts.checksum.toString('base64')}, the metadata says ${use.checksum.value}`,
          );
        }
      }
    }
    report(true);
    const cutoff = Date.now() - ORPHAN_GRACE_MS;
    let batch: { blobId: string; mtimeMs: number }[] = [];
    const flush = () => {
      const referenced = inventory.referencedOf(batch.map((b) => b.blobId));
      for (const b of batch) {
        if (referenced.has(b.blobId)) continue;
        if (b.mtimeMs > cutoff) c.recentUnreferenced++;
        else {
          c.orphaned++;
          problem(`orphaned blob: ${b.blobId} (no object, segment or upload part references it)`);
        }
      }
      batch = [];
    };
    for await (const b of ctx.blobs.list()) {
      c.blobFiles++;
      batch.push(b);
      if (batch.length >= ORPHAN_BATCH) flush();
    }
    flush();
  } finally {
    inventory.close();
    await release();
  }
  const problems = c.missing + c.sizeMismatch + c.checksumMismatch + c.orphaned;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return {
    problems: problems > 0,
    summary: [
      ...listed,
      ...(problems > listed.length ? [`... and ${problems - listed.length} more problems`] : []),
      `verified ${c.uses} uses of stored bytes (${c.inline} inline bodies, ${(c.bytes / 1024 / 1024).toFixed(1)} MiB read) and ${c.blobFiles} blob files in ${seconds} s: ` +
        `${c.missing} missing, ${c.sizeMismatch} size mismatches, ${c.checksumMismatch} checksum mismatches, ${c.orphaned} orphaned` +
        (c.recentUnreferenced > 0
          ? ` (${c.recentUnreferenced} recent unreferenced blobs left alone: writes in flight)`
          : ''),
      problems > 0 ? `verify: ${problems} problems found` : 'verify: no problems found',
    ],
  };
}
