/**
 * ListObjectsV2 against a brute-force model: keys in UTF-8 byte order, roll-up at the first
 * delimiter after the prefix, pages of maxKeys entries joined by continuation tokens. Keys mix
 * runs of plain keys and common prefixes so that the batched scan's batches end, double and
 * break at a roll-up in every position; rows read per page stay within twice the entries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteOrder, objectRow } from '../store/objectIndexContract.js';
import { objectsFixture } from './objectsFixture.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function keySet(): string[] {
  const keys = [
    'a',
    'a/',
    'a/b',
    'a/b/c',
    'a//',
    'a%2F',
    'ab',
    'a-b',
    'a.b',
    'é',
    'e\u0301',
    '\u{1F600}',
    'z\u0000',
    'z\u0000/x',
    ' sp',
    '~',
    'a/\uffff',
    'a/b/c/d',
    'ab/b/x',
    'xb/',
    'b/',
  ];
  for (let i = 0; i < 40; i++) keys.push(`p${pad(i, 2)}`);
  for (let i = 0; i < 10; i++) keys.push(`q/${i}`);
  for (let i = 0; i < 70; i++) keys.push(`r${pad(i, 3)}`);
  for (let i = 0; i < 5; i++) keys.push(`r${pad(i, 3)}/sub`);
  keys.push('s/x', 's/y', 't');
  return keys;
}

/** Every entry of a listing, in order: keys and (deduplicated) common prefixes. */
function model(keys: string[], prefix: string, delimiter: string | undefined): { key?: string; prefix?: string }[] {
  const out: { key?: string; prefix?: string }[] = [];
  for (const k of byteOrder(keys)) {
    if (!k.startsWith(prefix)) continue;
    const at = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
    if (at < 0) {
      out.push({ key: k });
      continue;
    }
    const cp = k.slice(0, at + delimiter!.length);
    if (out.length === 0 || out[out.length - 1].prefix !== cp) out.push({ prefix: cp });
  }
  return out;
}

test('ListObjectsV2 pages equal the brute-force model for prefixes, delimiters and page sizes', async () => {
  const f = await objectsFixture();
  try {
    const keys = keySet();
    await f.store.transaction(async (tx) => {
      for (const k of keys) await tx.objects.putObject(objectRow(f.bucket.id, k, { size: k.length }));
    });
    let cases = 0;
    for (const prefix of ['', 'a', 'a/', 'r', 'q/', 'z\u0000', 'nothing']) {
      for (const delimiter of [undefined, '/', 'r1', '0', 'b/', '\u0000']) {
        const expected = model(keys, prefix, delimiter);
        for (const maxKeys of [1, 2, 3, 7, 1000]) {
          const got: { key?: string; prefix?: string }[] = [];
          let token: string | undefined;
          const what = `prefix '${prefix}' delimiter '${delimiter}' maxKeys ${maxKeys}`;
          for (let page = 0; page < 400; page++) {
            const r = await f.objects.listObjectsV2(f.bucket, {
              prefix,
              maxKeys,
              ...(delimiter ? { delimiter } : {}),
              ...(token ? { continuationToken: token } : {}),
            });
            // Contents and prefixes of one page interleave in key order; rebuild the order from the model's view.
            type Entry = { key?: string; prefix?: string };
            const entries = [
              ...r.contents.map((c): Entry => ({ key: c.key })),
              ...r.commonPrefixes.map((p): Entry => ({ prefix: p })),
            ].sort((x, y) => Buffer.compare(Buffer.from(x.key ?? x.prefix!), Buffer.from(y.key ?? y.prefix!)));
            got.push(...entries);
            for (const c of r.contents) assert.equal(c.size, c.key.length, `${what}: row data of '${c.key}'`);
            assert.ok(entries.length <= maxKeys, `${what}: page of ${entries.length}`);
            assert.ok(
              r.rowsRead <= 2 * entries.length + 2,
              `${what}: ${r.rowsRead} rows read for ${entries.length} entries`,
            );
            if (!r.isTruncated) break;
            assert.equal(entries.length, maxKeys, `${what}: a truncated page is full`);
            token = r.nextContinuationToken;
            assert.ok(token, `${what}: a truncated page has a continuation token`);
          }
          assert.deepEqual(got, expected, what);
          cases++;
        }
      }
    }
    assert.equal(cases, 7 * 6 * 5);
  } finally {
    await f.cleanup();
  }
});
