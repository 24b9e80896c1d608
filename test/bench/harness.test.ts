/**
 * The benchmark harness in quick mode with tiny counts: every server (Sailbucket durable and
 * relaxed, s3rver, moto — or moto's skip line — the floor reference and the trivial server) and
 * every case report non-zero throughput and no errors. Only peers may be "unsupported", and only
 * where they lack the feature (the Lightsail control plane, STREAMING-UNSIGNED-PAYLOAD-TRAILER); the
 * floor only for the cases it does not define. Never a speed threshold. The floor server itself is
 * checked for the work it must do (ETag, CRC64NVME, SHA-256 check, durable rename).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_CASES } from '../../bench/cases/index.js';
import { parseOptions } from '../../bench/options.js';
import type { BenchReport } from '../../bench/report/types.js';
import { failures, runBench } from '../../bench/run.js';
import { createHttpPool } from '../../bench/httpPool.js';
import { createS3Ops } from '../../bench/s3Ops.js';
import { startFloor } from '../../bench/servers/floor.js';
import { startMoto } from '../../bench/servers/moto.js';
import { createSigner, objectPath, sha256Hex } from '../../bench/signer.js';
import { Crc64NvmeFast } from '../../src/crypto/crc64nvme.js';
import { REPO_ROOT, runBenchTool } from './runTool.js';

const HARNESS_LIMIT_MS = 150_000;
const runHarness = (args: string[]) => runBenchTool('run.js', args, HARNESS_LIMIT_MS, 'SIGINT');

const TINY = [
  '--quick',
  '--rounds',
  '1',
  '--seconds',
  '0.25',
  '--warmup-seconds',
  '0.1',
  '--max-ops',
  '300',
  '--list-keys',
  '50',
  '--delete-keys',
  '20',
  '--delete-batches',
  '1',
  '--multipart-mib',
  '6',
  '--multipart-uploads',
  '1',
  '--control-create-ops',
  '2',
  '--scale-sizes',
  '30,60',
  '--scale-seconds',
  '0.2',
  '--big-mib',
  '4',
  '--no-wrk',
];

/** Where a peer may lack a feature (and say so) instead of measuring. */
const PEER_GAPS: Record<string, string[]> = {
  'control-create-key': ['s3rver', 'moto'],
  'control-get-keys': ['s3rver', 'moto'],
  'put-4k-unsigned-trailer': ['s3rver', 'moto'],
};

test(
  'quick mode: every server and case reports throughput without errors',
  { timeout: HARNESS_LIMIT_MS + 30_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    try {
      const outFile = join(dir, 'report.json');
      const { code, out } = await runHarness([...TINY, '--out', outFile]);
      const problems = out
        .split('\n')
        .filter((l) => /FAILED|errors, e\.g\./.test(l))
        .join('\n');
      assert.equal(code, 0, `harness exited with ${code}:\n${problems}\n--- output tail:\n${out.slice(-3000)}`);
      const report = JSON.parse(readFileSync(outFile, 'utf8')) as BenchReport;

      const status = (name: string) => report.servers.find((s) => s.name === name);
      for (const name of ['sailbucket', 'sailbucket-relaxed', 's3rver', 'floor', 'trivial'])
        assert.equal(status(name)?.status, 'running', `${name}: ${JSON.stringify(status(name))}`);
      const moto = status('moto');
      assert.ok(moto, 'moto is reported');
      if (moto.status === 'skipped') {
        assert.match(moto.reason ?? '', /^moto: /);
        assert.match(out, /^moto: skipped — /m, 'the skip line is printed');
      } else assert.equal(moto.status, 'running', `moto: ${JSON.stringify(moto)}`);
      const running = report.servers.filter((s) => s.status === 'running').map((s) => s.name);

      assert.deepEqual(
        report.cases.map((c) => c.id),
        ALL_CASES.map((c) => c.id),
      );
      for (const c of report.cases) {
        assert.match(out, new RegExp(`\\[${c.id}\\]`), `table for ${c.id} printed`);
        const floorCase = ALL_CASES.find((x) => x.id === c.id)?.floor === true;
        for (const name of running) {
          const r = c.servers.find((s) => s.server === name);
          assert.ok(r, `${c.id}: no result for ${name}`);
          if (name === 'floor' && !floorCase) {
            assert.equal(r.status, 'unsupported', `${c.id}: the floor does not define it`);
            assert.match(r.reason ?? '', /not part of the floor/);
            continue;
          }
          if (r.status === 'unsupported' && (PEER_GAPS[c.id] ?? []).includes(name)) {
            assert.ok(r.reason && r.reason.length > 0, `${c.id} ${name}: unsupported without a reason`);
            continue;
          }
          assert.match(
            out,
            new RegExp(`^  ${c.id} round 1 ${name}: \\d+ ops/s`, 'm'),
            `${c.id}: ${name}'s line printed`,
          );
          assert.equal(r.status, 'ok', `${c.id} ${name}: ${r.status} ${r.reason ?? ''}`);
          assert.ok(r.summary, `${c.id} ${name}: no summary`);
          assert.equal(r.summary.errors, 0, `${c.id} ${name}: errors ${r.errorSamples.join(' | ')}`);
          assert.ok(r.summary.ops > 0 && r.summary.opsPerSec > 0, `${c.id} ${name}: ${r.summary.ops} ops`);
          assert.ok(
            Number.isFinite(r.summary.p50Ms) && r.summary.peakRssMiB > 0,
            `${c.id} ${name}: latency and RSS measured`,
          );
          if (name !== 'trivial') assert.ok((r.summary.ratioToTrivial ?? 0) > 0, `${c.id} ${name}: ratio to trivial`);
          if (floorCase && name !== 'floor')
            assert.ok((r.summary.ratioToFloor ?? 0) > 0, `${c.id} ${name}: ratio to floor`);
        }
      }

      const scaling = report.scaling.find((s) => s.server === 'sailbucket');
      assert.ok(scaling, 'a scaling run on Sailbucket');
      assert.equal(scaling.error, undefined, scaling.error);
      assert.deepEqual([...new Set(scaling.curve.map((p) => p.objects))], [30, 60]);
      for (const p of scaling.curve)
        assert.ok(p.opsPerSec > 0 && p.errors === 0, `scaling ${p.case} at ${p.objects}: ${JSON.stringify(p)}`);
      assert.equal(scaling.big?.bodyIntact, true, `big object: ${JSON.stringify(scaling.big)}`);
      assert.ok(
        report.targets.length > 0 && report.targets.every((t) => t.measured !== 'not run'),
        'every target has a measurement',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('the floor server does the mandatory work: ETag, CRC64NVME when no checksum is named, SHA-256 check', async () => {
  const floor = await startFloor({ repoRoot: REPO_ROOT });
  const pool = createHttpPool({ host: floor.host, port: floor.port, maxSockets: 2, timeoutMs: 30_000 });
  try {
    const host = `${floor.host}:${floor.port}`;
    const signer = createSigner({ credentials: floor.credentials, region: 'us-east-1', service: 's3', host });
    const s3 = createS3Ops(pool, signer);
    await floor.createBucket('floor-check');
    const body = Buffer.alloc(300_000);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7919) & 0xff;
    const put = await s3.putObject('floor-check', 'a/b c', body, { kind: 'sha256', sha256: sha256Hex(body) });
    assert.equal(put.headers['etag'], `"${createHash('md5').update(body).digest('hex')}"`);
    const crc = new Crc64NvmeFast();
    crc.update(body);
    assert.equal(put.headers['x-amz-checksum-crc64nvme'], Buffer.from(crc.digest()).toString('base64'));
    const got = await s3.getObject('floor-check', 'a/b c', body.length);
    assert.ok(got.body.equals(body), 'GET returns the bytes PUT');

    const wrong = signer.sign({ method: 'PUT', path: objectPath('floor-check', 'bad'), payloadHash: sha256Hex('x') });
    const refused = await pool.send({
      method: 'PUT',
      url: wrong.url,
      headers: wrong.headers,
      body,
      keepBodyBytes: 1024,
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body.toString('utf8'), /XAmzContentSHA256Mismatch/);
    const missing = await pool.send({
      method: 'GET',
      url: objectPath('floor-check', 'bad'),
      headers: {},
      keepBodyBytes: 1024,
    });
    assert.equal(missing.status, 404, 'a refused PUT leaves no object');

    const named = signer.sign({
      method: 'PUT',
      path: objectPath('floor-check', 'named'),
      payloadHash: sha256Hex(body),
      headers: { 'x-amz-checksum-crc32': 'AAAAAA==' },
    });
    const res = await pool.send({ method: 'PUT', url: named.url, headers: named.headers, body, keepBodyBytes: 1024 });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-checksum-crc64nvme'], undefined, 'no CRC64NVME when the request names a checksum');
  } finally {
    pool.close();
    await floor.stop();
  }
});

test('moto is skipped with a clear line when its python is missing', async () => {
  const outcome = await startMoto({ repoRoot: REPO_ROOT }, 'python3-missing-for-bench-test');
  assert.ok('skipped' in outcome);
  assert.match(outcome.skipped, /^moto: python3-missing-for-bench-test is not available/);
});

test('bad options end with exit code 2 and a message naming the value', async () => {
  const lines: string[] = [];
  assert.equal(await runBench(['--rounds', 'many'], (l) => lines.push(l)), 2);
  assert.match(lines.join('\n'), /invalid --rounds 'many'/);
  assert.equal(await runBench(['--cases', 'get-4k,nope'], (l) => lines.push(l)), 2);
  assert.match(lines.join('\n'), /unknown case 'nope'/);
  assert.throws(() => parseOptions(['--delete-keys', '1001']), /at most 1000 keys/);
  assert.deepEqual(
    parseOptions(['--servers', 'moto']).servers,
    ['moto', 'floor', 'trivial'],
    'the floor and trivial servers are always added',
  );
});

test('a failed run names each server whose start, run or requests failed', () => {
  const ok = {
    server: 'sailbucket' as const,
    status: 'ok' as const,
    rounds: [],
    warmupErrors: 0,
    errorSamples: [],
    summary: { errors: 0 },
  };
  const results = [
    {
      id: 'list-1000',
      title: 'ListObjectsV2 1000 keys',
      concurrency: 16,
      client: 'node' as const,
      servers: [
        ok,
        { ...ok, server: 's3rver' as const, summary: { errors: 37 } },
        { ...ok, server: 'moto' as const, status: 'failed' as const },
      ],
    },
  ] as unknown as Parameters<typeof failures>[1];
  const problems = failures([{ name: 'trivial', status: 'failed', reason: 'port in use' }], results, [
    {
      server: 'sailbucket',
      curve: [{ objects: 10, case: 'put-4k', opsPerSec: 1, p50Ms: 1, p99Ms: 1, serverCpuUsPerOp: 1, errors: 1 }],
      seedSeconds: [],
    },
  ]);
  assert.deepEqual(problems, [
    'trivial failed to start',
    's3rver: ListObjectsV2 1000 keys: 37 request errors',
    'moto: ListObjectsV2 1000 keys failed',
    'sailbucket: scaling: 1 request error',
  ]);
  assert.deepEqual(failures([], [{ ...results[0], servers: [ok] }] as unknown as typeof results, []), []);
});
