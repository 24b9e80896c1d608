/**
 * The default checksum of a body the server itself streams (CopyObject of a source that has no
 * whole-object checksum): a pass-through that feeds CRC64NVME on the way, as S3 keeps one for every
 * new object. A failure of the source fails the tap (and so the write reading it).
 */
import { pipeline, Transform, type Readable } from 'node:stream';
import { Crc64NvmeFast } from '../../crypto/crc64nvme.js';
import type { ObjectChecksum } from '../ports/objectRecords.js';

export function crc64Tap(source: Readable): { stream: Readable; checksum(): ObjectChecksum } {
  const crc = new Crc64NvmeFast();
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc.update(chunk);
      done(null, chunk);
    },
  });
  pipeline(source, tap, () => undefined);
  return {
    stream: tap,
    checksum: () => ({ algorithm: 'CRC64NVME', value: crc.digest().toString('base64'), type: 'FULL_OBJECT' }),
  };
}
