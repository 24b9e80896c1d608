/**
 * Stage breakdown of `perf record -g` samples: parses `perf script -F pid,tid,ip,sym,dso` output and
 * puts each sample in one stage, then turns sample counts into CPU µs per operation (one sample is
 * 1e6 / Hz µs of CPU on the sampled thread) for the main thread (tid = pid: the JS event loop in
 * Node) and for the other threads (V8's GC and compiler helpers, libuv's pool) apart.
 *
 * The rule: walk the sample's stack from the leaf (the frame that was on the CPU) towards the root
 * and take the first frame that matches any stage pattern; when one frame matches several patterns,
 * the first stage in the list below wins. So a memcpy inside `vfs_write` counts as file write, a
 * SHA-256 block under a JS stream callback counts as hashing (not JS), and a sample whose stack
 * matches nothing is "other native/kernel". Patterns are matched against "symbol (dso)", so a
 * pattern may also name a library (better_sqlite3.node).
 *
 * | stage | frame pattern (regular expression) |
 * |---|---|
 * | hash: MD5 | `md5_block` |
 * | hash: SHA-256 | `sha256_block` |
 * | hash: CRC64NVME | `crc64\|Crc64\|@aws-sdk/checksums/dist-cjs/submodules/crc/` |
 * | fsync/fdatasync (kernel) | `sys_fsync\|sys_fdatasync\|vfs_fsync\|ext4_sync_file\|jbd2` |
 * | file write (kernel copy to page cache) | `sys_write\|sys_pwrite\|do_writev\|ksys_write\|vfs_write\|vfs_writev\|sys_pwritev` |
 * | rename | `sys_rename` |
 * | open/close/unlink/stat | `sys_open\|do_sys_open\|sys_close\|sys_unlink\|do_unlinkat\|sys_statx\|sys_newfstat\|sys_mkdir` |
 * | socket read (kernel) | `tcp_recvmsg\|sock_read\|sys_recvfrom\|sock_recvmsg` |
 * | socket write (kernel) | `tcp_sendmsg\|sock_write\|sys_sendto\|sock_sendmsg` |
 * | SQLite | `sqlite3\|better_sqlite3\|better-sqlite3` |
 * | GC | `Scaveng\|MarkCompact\|ConcurrentMarking\|Marking\|Sweeper\|Heap::\|GCTracer\|MinorMC\|ArrayBufferSweeper\|Evacuat\|PointersUpdating` |
 * | JIT compiler | `v8::internal::compiler\|Maglev\|Baseline::\|Compile` |
 * | HTTP parser (llhttp) | `llhttp\|http_parser\|Parser::` |
 * | event loop / epoll / wakeups | `epoll\|futex\|uv__io_poll\|uv_run\|uv__` |
 * | JS (request handling, streams) | `^JS:\|Builtins_\|Runtime_\|LazyCompile\|Interpreter` |
 *
 * JIT frames have names only when the process runs with `node --perf-basic-prof` (perf reads them from
 * /tmp/perf-PID.map: `JS:*put file.js:12`). A `[unknown]` frame is not JS: with the map in place it
 * is where perf's frame-pointer walk lost the stack (a libc leaf without frame pointers), so the walk
 * goes on past it and such a sample usually ends as "other native/kernel".
 *
 * The patterns are those of the throw-away stages.py the first breakdown was made with, plus one: the
 * floor computes CRC64NVME with `@aws-sdk/crc64-nvme`, whose JS lives in
 * `@aws-sdk/checksums/dist-cjs/submodules/crc/index.js` (`JS:*update …/crc/index.js:82`, a name
 * with no "crc64" in it; the file's other class, Crc32cJs, is used by neither server measured). JS
 * that TurboFan inlined into its caller has no frame of its own and counts as the caller.
 */

export interface Stage {
  name: string;
  pattern: RegExp;
}

/** In priority order (see the header). */
export const STAGES: readonly Stage[] = [
  { name: 'hash: MD5', pattern: /md5_block/ },
  { name: 'hash: SHA-256', pattern: /sha256_block/ },
  { name: 'hash: CRC64NVME', pattern: /crc64|Crc64|@aws-sdk\/checksums\/dist-cjs\/submodules\/crc\// },
  { name: 'fsync/fdatasync (kernel)', pattern: /sys_fsync|sys_fdatasync|vfs_fsync|ext4_sync_file|jbd2/ },
  {
    name: 'file write (kernel copy to page cache)',
    pattern: /sys_write|sys_pwrite|do_writev|ksys_write|vfs_write|vfs_writev|sys_pwritev/,
  },
  { name: 'rename', pattern: /sys_rename/ },
  {
    name: 'open/close/unlink/stat',
    pattern: /sys_open|do_sys_open|sys_close|sys_unlink|do_unlinkat|sys_statx|sys_newfstat|sys_mkdir/,
  },
  { name: 'socket read (kernel)', pattern: /tcp_recvmsg|sock_read|sys_recvfrom|sock_recvmsg/ },
  { name: 'socket write (kernel)', pattern: /tcp_sendmsg|sock_write|sys_sendto|sock_sendmsg/ },
  { name: 'SQLite', pattern: /sqlite3|better_sqlite3|better-sqlite3/ },
  {
    name: 'GC',
    pattern:
      /Scaveng|MarkCompact|ConcurrentMarking|Marking|Sweeper|Heap::|GCTracer|MinorMC|ArrayBufferSweeper|Evacuat|PointersUpdating/,
  },
  { name: 'JIT compiler', pattern: /v8::internal::compiler|Maglev|Baseline::|Compile/ },
  { name: 'HTTP parser (llhttp)', pattern: /llhttp|http_parser|Parser::/ },
  { name: 'event loop / epoll / wakeups', pattern: /epoll|futex|uv__io_poll|uv_run|uv__/ },
  { name: 'JS (request handling, streams)', pattern: /^JS:|Builtins_|Runtime_|LazyCompile|Interpreter/ },
];

export const OTHER_STAGE = 'other native/kernel';

/** The stage of one stack, given leaf first ("symbol (dso)" per frame). */
export function classifyStack(frames: readonly string[]): string {
  for (const frame of frames) {
    for (const stage of STAGES) if (stage.pattern.test(frame)) return stage.name;
  }
  return OTHER_STAGE;
}

export class PerfScriptError extends Error {
  override readonly name = 'PerfScriptError';
}

/** Samples per stage, main thread and other threads apart. */
export interface StageCounts {
  stages: Map<string, { main: number; other: number }>;
  samples: number;
}

export interface StageCounter {
  /** One line of `perf script -F pid,tid,ip,sym,dso` output (without its newline). */
  line(text: string): void;
  finish(): StageCounts;
}

const HEADER = /^\s*(\d+)\/\s*(\d+)\b/;

/**
 * Reads `perf script -F pid,tid,ip,sym,dso` output line by line: a sample is a header line
 * `PID/TID` followed by its stack, one tab-indented `ip symbol (dso)` line per frame, leaf first.
 */
export function createStageCounter(): StageCounter {
  const stages = new Map<string, { main: number; other: number }>();
  let samples = 0;
  let current: { main: boolean } | undefined;
  let frames: string[] = [];
  let lineNo = 0;
  const flush = (): void => {
    if (current === undefined) return;
    const stage = classifyStack(frames);
    const entry = stages.get(stage) ?? { main: 0, other: 0 };
    if (current.main) entry.main++;
    else entry.other++;
    stages.set(stage, entry);
    samples++;
    current = undefined;
    frames = [];
  };
  return {
    line(text) {
      lineNo++;
      if (text.trim() === '') return;
      if (!text.startsWith('\t')) {
        const m = HEADER.exec(text);
        if (!m)
          throw new PerfScriptError(
            `perf script line ${lineNo} is neither a sample header (PID/TID) nor a tab-indented stack frame: '${text.slice(0, 120)}' (expected output of perf script -F pid,tid,ip,sym,dso)`,
          );
        flush();
        current = { main: m[1] === m[2] };
        return;
      }
      if (current === undefined)
        throw new PerfScriptError(`perf script line ${lineNo} is a stack frame before any sample header`);
      const t = text.trim();
      const space = t.indexOf(' ');
      if (space > 0) frames.push(t.slice(space + 1).trim());
    },
    finish() {
      flush();
      return { stages, samples };
    },
  };
}

export interface StageRow {
  stage: string;
  mainMicrosPerOp: number;
  otherMicrosPerOp: number;
  totalMicrosPerOp: number;
}

/** µs of CPU per operation per stage, largest total first (ties by name), then an `all` row. */
export function stageRows(counts: StageCounts, opts: { ops: number; hz: number }): StageRow[] {
  const us = (n: number): number => (n * 1e6) / opts.hz / opts.ops;
  const rows = [...counts.stages].map(([stage, c]) => ({
    stage,
    mainMicrosPerOp: us(c.main),
    otherMicrosPerOp: us(c.other),
    totalMicrosPerOp: us(c.main + c.other),
  }));
  rows.sort((a, b) => b.totalMicrosPerOp - a.totalMicrosPerOp || (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0));
  const main = rows.reduce((n, r) => n + r.mainMicrosPerOp, 0);
  const other = rows.reduce((n, r) => n + r.otherMicrosPerOp, 0);
  rows.push({ stage: 'all', mainMicrosPerOp: main, otherMicrosPerOp: other, totalMicrosPerOp: main + other });
  return rows;
}

/** The rows as a markdown table (µs rounded to whole numbers). */
export function stageMarkdown(rows: readonly StageRow[]): string {
  const r = (n: number): string => n.toFixed(0);
  return [
    '| stage | main thread µs/op | other threads µs/op | total µs/op |',
    '|---|--:|--:|--:|',
    ...rows.map(
      (x) => `| ${x.stage} | ${r(x.mainMicrosPerOp)} | ${r(x.otherMicrosPerOp)} | ${r(x.totalMicrosPerOp)} |`,
    ),
  ].join('\n');
}
