/**
 * The stage breakdown's pure part (bench/perfStages.ts): `perf script -F pid,tid,ip,sym,dso` text in,
 * µs per op per stage out, main thread and other threads apart, each stack classified by its first
 * matching frame from the leaf up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyStack,
  createStageCounter,
  OTHER_STAGE,
  PerfScriptError,
  stageMarkdown,
  stageRows,
} from '../../bench/perfStages.js';

// pid 4242; tid 4242 is the main thread, 4245 and 4246 are other threads.
const SAMPLE = `4242/4242 
\t          2bd5c0 md5_block_asm_data_order (/usr/bin/node)
\t          c8a1f3 node::crypto::Hash::HashUpdate (/usr/bin/node)
\t    7f8b4009cd92 JS:*update node:internal/crypto/hash:101:40 (/tmp/perf-4242.map)
\t         1508083 Builtins_AsyncFunctionAwaitResolveClosure (/usr/bin/node)
\t          14ac8a7 uv_run (/usr/bin/node)

4242/4245 
\tffffffff8150a8d0 copy_user_enhanced_fast_string ([kernel.kallsyms])
\tffffffff8128cc41 generic_perform_write ([kernel.kallsyms])
\tffffffff8128f8a0 ext4_buffered_write_iter ([kernel.kallsyms])
\tffffffff8133b1e3 vfs_write ([kernel.kallsyms])
\tffffffff8133b6b9 ksys_write ([kernel.kallsyms])
\tffffffff8223b5d1 do_syscall_64 ([kernel.kallsyms])
\t           f838f __GI___libc_write (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t         14b3e21 uv__fs_work (/usr/bin/node)

4242/4246 
\t          d6f0a1 v8::internal::MarkCompactCollector::ProcessMarkingWorklist (/usr/bin/node)
\t          d70122 v8::internal::Heap::CollectGarbage (/usr/bin/node)

4242/4242 
\t    7f8b40089f13 JS:*put file:///srv/dist/src/put.js:58:17 (/tmp/perf-4242.map)
\t          8deef3 node::(anonymous namespace)::Parser::on_headers_complete (/usr/bin/node)

4242/4242 
\t    7f8b40054656 JS:^get node:internal/streams/writable:1010:8 (/tmp/perf-4242.map)
\t          9e1a10 sqlite3VdbeExec (/work/node_modules/better-sqlite3/build/Release/better_sqlite3.node)

4242/4242 
\t           95073 unlink_chunk.constprop.0 (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t               0 [unknown] ([unknown])
`;

const lines = (text: string): string[] => text.split('\n');

test('perf script text becomes µs per op per stage, main thread and other threads apart', () => {
  const counter = createStageCounter();
  for (const l of lines(SAMPLE)) counter.line(l);
  const counts = counter.finish();
  assert.equal(counts.samples, 6);
  // 1000 Hz: one sample is 1000 µs; over 2 ops, 500 µs/op.
  const rows = stageRows(counts, { ops: 2, hz: 1000 });
  assert.deepEqual(
    rows.map((r) => [r.stage, r.mainMicrosPerOp, r.otherMicrosPerOp, r.totalMicrosPerOp]),
    [
      // Two JS leaves on the main thread (the second one is above SQLite: the leaf decides).
      ['JS (request handling, streams)', 1000, 0, 1000],
      ['GC', 0, 500, 500],
      ['file write (kernel copy to page cache)', 0, 500, 500],
      ['hash: MD5', 500, 0, 500],
      // A libc leaf over a lost stack: [unknown] is not JS.
      [OTHER_STAGE, 500, 0, 500],
      ['all', 2000, 1000, 3000],
    ],
  );
  assert.equal(
    stageMarkdown(rows.slice(-2)),
    [
      '| stage | main thread µs/op | other threads µs/op | total µs/op |',
      '|---|--:|--:|--:|',
      '| other native/kernel | 500 | 0 | 500 |',
      '| all | 2000 | 1000 | 3000 |',
    ].join('\n'),
  );
});

test('the first frame from the leaf that matches any stage decides; within one frame the stage list order does', () => {
  // A memcpy leaf matches nothing; vfs_write above it makes it a file write, not the JS further up.
  assert.equal(
    classifyStack(['__memmove_avx_unaligned (libc.so.6)', 'vfs_write ([kernel.kallsyms])', 'JS:*write x.js:1 (map)']),
    'file write (kernel copy to page cache)',
  );
  // One frame naming both a hash and GC counts as the hash (earlier in the list).
  assert.equal(classifyStack(['sha256_block_data_order Heap::x (/usr/bin/node)']), 'hash: SHA-256');
  // The SDK's CRC64NVME JS has no "crc64" in its name; its file says what it is.
  assert.equal(
    classifyStack([
      'JS:*update /n/node_modules/@aws-sdk/checksums/dist-cjs/submodules/crc/index.js:82:11 (/tmp/perf-1.map)',
    ]),
    'hash: CRC64NVME',
  );
  assert.equal(classifyStack([]), OTHER_STAGE);
});

test('a line that is neither a sample header nor a tab-indented frame is refused with its line number', () => {
  const counter = createStageCounter();
  counter.line('4242/4242 ');
  assert.throws(
    () => counter.line('Warning: some text on stdout'),
    (err: Error) => {
      assert.ok(err instanceof PerfScriptError);
      assert.match(err.message, /line 2 .*'Warning: some text on stdout'/);
      return true;
    },
  );
  assert.throws(
    () => createStageCounter().line('\t  123 foo (bar)'),
    /line 1 is a stack frame before any sample header/,
  );
});
