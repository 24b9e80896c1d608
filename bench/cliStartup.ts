/**
 * CLI start-up time: runs the built `node bin/sailbucket.js` N times for `--help`, a command help
 * page and each skeleton kind, and reports the median and p90 wall time per case (target: under
 * 200 ms; these paths must not load the AWS SDK). Not a timed test: a measurement to read.
 *
 *   npx tsc -p . && node dist/bench/cliStartup.js [runs=15]
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'sailbucket.js');
const TARGET_MS = 200;
const MAX_RUNS = 200;

const CASES: [string, string[]][] = [
  ['--help', ['--help']],
  ['command help', ['create-bucket-access-key', 'help']],
  ['skeleton input', ['get-bucket-metric-data', '--generate-cli-skeleton']],
  ['skeleton yaml-input', ['update-bucket', '--generate-cli-skeleton', 'yaml-input']],
  ['skeleton output', ['get-buckets', '--generate-cli-skeleton', 'output']],
  ['node -e "" (floor)', []],
];

function timeOnce(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = args.length
    ? spawnSync(process.execPath, [BIN, ...args], { stdio: 'ignore', timeout: 10_000 })
    : spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`sailbucket ${args.join(' ')} exited with ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const pct = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const runs = Math.min(MAX_RUNS, Math.max(1, Number(process.argv[2] ?? 15)));
console.log(
  `sailbucket CLI start-up, ${runs} rounds, cases interleaved in each round (target median < ${TARGET_MS} ms)`,
);
for (const [, args] of CASES) timeOnce(args); // warm the file cache
const times: number[][] = CASES.map(() => []);
for (let r = 0; r < runs; r++) CASES.forEach(([, args], i) => times[i].push(timeOnce(args)));
const floor = pct(times[CASES.length - 1], 0.5);
CASES.forEach(([name, args], i) => {
  const med = pct(times[i], 0.5);
  const over = args.length
    ? `  +${(med - floor).toFixed(1)} ms over node${med >= TARGET_MS ? '  OVER TARGET' : ''}`
    : '';
  console.log(
    `${name.padEnd(22)} median ${med.toFixed(1).padStart(6)} ms   p90 ${pct(times[i], 0.9).toFixed(1).padStart(6)} ms${over}`,
  );
});
