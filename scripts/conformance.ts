/**
 * `npm run conformance`: runs ceph/s3-tests (../shared/conformance, or SAILBUCKET_CONFORMANCE_DIR)
 * against a Sailbucket it starts itself: a fresh data directory, the operator's root as the suite's
 * `main` identity and a second account's root (made with `create-account`) as `alt`, so the
 * cross-account tests see two owners. Arguments are passed to pytest (e.g. `-k multipart`).
 * Prints the runner's output, ending with its `S3TESTS-SUMMARY` line; exits non-zero only when the
 * suite could not run. Not part of `npm test` (it takes ~10 minutes). See docs/conformance.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../test/helpers/server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'sailbucket.js');
const SUITE = process.env.SAILBUCKET_CONFORMANCE_DIR ?? resolve(ROOT, '..', 'shared', 'conformance');
const RUNNER = join(SUITE, 'run-s3tests.sh');
/** The suite's Python modules besides boto3 and pytest, and the Debian packages that hold them. */
const PY_DEPS: [module: string, pkg: string][] = [
  ['munch', 'python3-munch'],
  ['isodate', 'python3-isodate'],
  ['pytz', 'python3-tz'],
  ['lxml', 'python3-lxml'],
  ['pytest_timeout', 'python3-pytest-timeout'],
];
const START_TIMEOUT_MS = 30_000;

function fail(message: string): never {
  console.error(`conformance: ${message}`);
  process.exit(2);
}

/** Installs the suite's Debian packages when missing (as root, like .ci/run), else says which. */
function ensurePythonDeps(): void {
  const missing = PY_DEPS.filter(
    ([mod]) => spawnSync('python3', ['-c', `import ${mod}`], { stdio: 'ignore' }).status !== 0,
  ).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0)
    fail(`missing Python packages for ceph/s3-tests: run apt-get install -y ${missing.join(' ')}`);
  console.error(`conformance: installing ${missing.join(' ')}`);
  for (const args of [['update'], ['install', '-y', ...missing]]) {
    const r = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) fail(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
  }
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A second account through the CLI, as an operator would make one; its root key is `alt`. */
function createAltAccount(endpoint: string, root: Credentials): Credentials {
  const r = spawnSync(
    process.execPath,
    [BIN, 'create-account', '--account-name', 's3-tests-alt', '--endpoint-url', endpoint, '--output', 'json'],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: root.accessKeyId,
        AWS_SECRET_ACCESS_KEY: root.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
    },
  );
  if (r.status !== 0) fail(`create-account failed (exit ${r.status}): ${r.stderr}`);
  const key = (JSON.parse(r.stdout) as { rootAccessKey?: Partial<Credentials> }).rootAccessKey;
  if (!key?.accessKeyId || !key.secretAccessKey) fail(`create-account answered no root key: ${r.stdout}`);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

async function main(): Promise<number> {
  if (!existsSync(RUNNER)) fail(`no ceph/s3-tests runner at ${RUNNER} (set SAILBUCKET_CONFORMANCE_DIR)`);
  if (!existsSync(join(ROOT, 'dist', 'src', 'main.js'))) fail('the server is not built: run npm run build first');
  ensurePythonDeps();
  // The tests' own server runner: a fresh data directory, generated root credentials, the first line awaited.
  const server = await startServer({ startTimeoutMs: START_TIMEOUT_MS });
  try {
    const root = server.credentials;
    const alt = createAltAccount(server.endpoint, root);
    console.error(
      `conformance: Sailbucket at ${server.endpoint}, data in ${server.dataDir}; main = operator root, alt = a second account`,
    );
    const port = new URL(server.endpoint).port;
    const run = spawn(
      'bash',
      [
        RUNNER,
        '127.0.0.1',
        port,
        root.accessKeyId,
        root.secretAccessKey,
        alt.accessKeyId,
        alt.secretAccessKey,
        ...process.argv.slice(2),
      ],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          S3T_OUT: process.env.S3T_OUT ?? join(ROOT, 's3t-runs', new Date().toISOString().replace(/[:.]/g, '-')),
        },
      },
    );
    const code = await new Promise<number>((done) => run.once('exit', (c) => done(c ?? 2)));
    // pytest's 1 means "some tests failed": the run itself worked, its count is the result.
    return code === 1 ? 0 : code;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => fail((e as Error).message),
);
