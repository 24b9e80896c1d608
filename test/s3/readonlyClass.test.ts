/**
 * docs/compatibility.md lists the exact set of S3 operations `readonlyAccessAccounts` opens to
 * another account's root: it must be the operation table's read class, no more and no less.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS } from '../../src/s3/operationTable.js';
import { REPO_ROOT } from '../helpers/server.js';

test('the read-only operation set in docs/compatibility.md is the read class of the operation table', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'compatibility.md'), 'utf8');
  const start = doc.indexOf('**`readonlyAccessAccounts` takes effect.**');
  const end = doc.indexOf('Every other operation', start);
  assert.ok(start > 0 && end > start, 'the section is in docs/compatibility.md');
  const documented = new Set(
    [...doc.slice(start, end).matchAll(/`([A-Z][A-Za-z0-9]+)`/g)]
      .map((m) => m[1])
      .filter((name) => Object.prototype.hasOwnProperty.call(OPERATIONS, name)),
  );
  const readClass = Object.entries(OPERATIONS)
    .filter(([, spec]) => spec.access === 'bucketRead' || spec.access === 'objectRead')
    .map(([name]) => name);
  // CopyObject/UploadPartCopy are named as copy-source uses, not as operations of the class.
  documented.delete('CopyObject');
  documented.delete('UploadPartCopy');
  assert.deepEqual([...documented].sort(), readClass.sort());
});
