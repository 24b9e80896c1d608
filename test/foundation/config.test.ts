import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, readdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseServeOptions, SERVE_USAGE } from '../../src/config.js';
import { loadIdentity, prepareDataDir } from '../../src/identity.js';

test('defaults, env and flags (flags win)', () => {
  const d = parseServeOptions([], {});
  assert.deepEqual(
    [d.host, d.port, d.dataDir, d.region, d.baseDomains],
    ['127.0.0.1', 8080, './data', 'us-east-1', ['localhost']],
  );
  const e = parseServeOptions(['--port', '0', '--base-domain', 'a.test', '--base-domain=b.test'], {
    SAILBUCKET_PORT: '9000',
    SAILBUCKET_REGION: 'eu-west-1',
    SAILBUCKET_BASE_DOMAIN: 'x.test,y.test',
    SAILBUCKET_DATA_DIR: '/tmp/x',
  });
  assert.equal(e.port, 0);
  assert.equal(e.region, 'eu-west-1');
  assert.equal(e.dataDir, '/tmp/x');
  assert.deepEqual(e.baseDomains, ['a.test', 'b.test']);
  assert.deepEqual(parseServeOptions([], { SAILBUCKET_BASE_DOMAIN: 'x.test,y.test' }).baseDomains, [
    'x.test',
    'y.test',
  ]);
});

test('--metrics-interval: default 300 s, env, flag wins, bounds 1..86400', () => {
  assert.equal(parseServeOptions([], {}).metricsIntervalSeconds, 300);
  assert.equal(parseServeOptions([], { SAILBUCKET_METRICS_INTERVAL: '60' }).metricsIntervalSeconds, 60);
  assert.equal(
    parseServeOptions(['--metrics-interval', '1'], { SAILBUCKET_METRICS_INTERVAL: '60' }).metricsIntervalSeconds,
    1,
  );
  assert.equal(parseServeOptions(['--metrics-interval=86400'], {}).metricsIntervalSeconds, 86400);
  assert.match(SERVE_USAGE, /--metrics-interval SECONDS/);
});

test('--access-log-interval: default 300 s, env, flag wins, bounds 1..86400, in the help', () => {
  assert.equal(parseServeOptions([], {}).accessLogIntervalSeconds, 300);
  assert.equal(parseServeOptions([], { SAILBUCKET_ACCESS_LOG_INTERVAL: '60' }).accessLogIntervalSeconds, 60);
  assert.equal(
    parseServeOptions(['--access-log-interval', '1'], { SAILBUCKET_ACCESS_LOG_INTERVAL: '60' })
      .accessLogIntervalSeconds,
    1,
  );
  assert.equal(parseServeOptions(['--access-log-interval=86400'], {}).accessLogIntervalSeconds, 86400);
  assert.match(SERVE_USAGE, /--access-log-interval SECONDS/);
  for (const bad of ['0', '86401', '1.5', 'often'])
    assert.throws(
      () => parseServeOptions(['--access-log-interval', bad], {}),
      new RegExp(`invalid access log interval '${bad.replace('.', '\\.')}'.*1 to 86400`),
    );
});

test('--metrics-token and --tls-cert/--tls-key: flag or env, flags win, help lists them', () => {
  const d = parseServeOptions([], {});
  assert.equal(d.metricsToken, undefined);
  assert.equal(d.tlsCertFile, undefined);
  const token = 'abcdefghijklmnop-1234';
  const e = parseServeOptions(['--tls-cert', 'flag.pem', '--tls-key', 'flag.key'], {
    SAILBUCKET_METRICS_TOKEN: token,
    SAILBUCKET_TLS_CERT: 'env.pem',
    SAILBUCKET_TLS_KEY: 'env.key',
  });
  assert.deepEqual([e.metricsToken, e.tlsCertFile, e.tlsKeyFile], [token, 'flag.pem', 'flag.key']);
  for (const flag of ['--metrics-token TOKEN', '--tls-cert FILE', '--tls-key FILE'])
    assert.ok(SERVE_USAGE.includes(flag));
});

test('--sigv2: off by default, on from the flag or SAILBUCKET_SIGV2, flag wins', () => {
  assert.equal(parseServeOptions([], {}).sigV2, false);
  assert.equal(parseServeOptions([], { SAILBUCKET_SIGV2: 'on' }).sigV2, true);
  assert.equal(parseServeOptions(['--sigv2', 'off'], { SAILBUCKET_SIGV2: 'on' }).sigV2, false);
  assert.equal(parseServeOptions(['--sigv2=ON'], {}).sigV2, true);
  assert.match(SERVE_USAGE, /--sigv2 on\|off/);
});

test('--durability: durable by default, relaxed from the flag or SAILBUCKET_DURABILITY, flag wins, help lists it', () => {
  assert.equal(parseServeOptions([], {}).durability, 'durable');
  assert.equal(parseServeOptions([], { SAILBUCKET_DURABILITY: 'relaxed' }).durability, 'relaxed');
  assert.equal(
    parseServeOptions(['--durability', 'durable'], { SAILBUCKET_DURABILITY: 'relaxed' }).durability,
    'durable',
  );
  assert.equal(parseServeOptions(['--durability=RELAXED'], {}).durability, 'relaxed');
  assert.throws(
    () => parseServeOptions(['--durability', 'fast'], {}),
    (e: unknown) =>
      e instanceof ConfigError &&
      /invalid durability 'fast' \(--durability \/ SAILBUCKET_DURABILITY\): expected durable or relaxed/.test(
        e.message,
      ),
  );
  assert.match(SERVE_USAGE, /--durability durable\|relaxed/);
});

test('--workers: 1 by default, a count or auto from the flag or SAILBUCKET_WORKERS, not with --metadata-url', () => {
  assert.equal(parseServeOptions([], {}).workers, 1);
  assert.equal(parseServeOptions([], { SAILBUCKET_WORKERS: '3' }).workers, 3);
  assert.equal(parseServeOptions(['--workers', '2'], { SAILBUCKET_WORKERS: '3' }).workers, 2);
  assert.equal(parseServeOptions(['--workers', 'auto'], {}).workers, Math.min(64, availableParallelism()));
  for (const bad of ['0', '65', '-1', '1.5', 'many'])
    assert.throws(
      () => parseServeOptions(['--workers', bad], {}),
      (e: unknown) => e instanceof ConfigError && /invalid worker count/.test(e.message),
      bad,
    );
  assert.throws(
    () => parseServeOptions(['--workers', '2', '--metadata-url', 'postgres://u@db/x'], { SAILBUCKET_MASTER_KEY: 'k' }),
    (e: unknown) => e instanceof ConfigError && /--workers above 1 is for the embedded store/.test(e.message),
  );
  assert.equal(
    parseServeOptions(['--workers', '1', '--metadata-url', 'postgres://u@db/x'], { SAILBUCKET_MASTER_KEY: 'k' })
      .workers,
    1,
  );
  assert.match(SERVE_USAGE, /--workers N\|auto/);
});

test('bad options are named in the error', () => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['--port', '70000'], {}, /invalid port '70000'/],
    [['--nope', '1'], {}, /unknown option '--nope'/],
    [['--port'], {}, /'--port' needs a value/],
    [['--region', 'mars'], {}, /invalid region 'mars'/],
    [['--account-id', '123'], {}, /invalid account id '123'/],
    [['--public-url', 'ftp://x'], {}, /invalid public URL/],
    [['--metrics-interval', '0'], {}, /invalid metrics interval '0'.*1 to 86400/],
    [['--metrics-interval', '86401'], {}, /invalid metrics interval '86401'/],
    [['--metrics-interval', '1.5'], {}, /invalid metrics interval '1\.5'/],
    [['--metrics-interval', 'often'], {}, /invalid metrics interval 'often'/],
    [['--metrics-interval'], {}, /'--metrics-interval' needs a value/],
    [['--metrics-interval', '5', '--metrics-interval', '6'], {}, /'--metrics-interval' is given more than once/],
    [[], { SAILBUCKET_METRICS_INTERVAL: '-3' }, /invalid metrics interval '-3'/],
    [['--metrics-token', 'short'], {}, /invalid metrics token: expected 16 to 1024 visible ASCII/],
    [[], { SAILBUCKET_METRICS_TOKEN: 'has a space in it ok' }, /invalid metrics token/],
    [['--tls-cert', 'c.pem'], {}, /give both --tls-cert and --tls-key/],
    [[], { SAILBUCKET_TLS_KEY: 'k.pem' }, /give both --tls-cert and --tls-key/],
    [['--sigv2', 'yes'], {}, /invalid sigv2 'yes': expected on or off/],
    [[], { SAILBUCKET_ROOT_ACCESS_KEY_ID: 'AKIAABCDEFGHIJKLMNOP' }, /set both/],
    [
      [],
      { SAILBUCKET_ROOT_ACCESS_KEY_ID: 'bad id', SAILBUCKET_ROOT_SECRET_ACCESS_KEY: 'x'.repeat(40) },
      /malformed SAILBUCKET_ROOT_ACCESS_KEY_ID/,
    ],
  ];
  for (const [argv, env, re] of cases) {
    assert.throws(
      () => parseServeOptions(argv, env),
      (err: unknown) => err instanceof ConfigError && re.test(err.message),
      `${argv.join(' ')} ${JSON.stringify(env)}`,
    );
  }
});

test('identity: generated once, sealed, credentials file 0600, stable across starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-id-'));
  try {
    const opts = parseServeOptions(['--data-dir', dir], {});
    const first = loadIdentity(opts);
    // Nothing secret is written until the server knows it can listen.
    assert.deepEqual(readdirSync(dir), []);
    first.persist();
    assert.match(first.accountId, /^\d{12}$/);
    assert.ok(first.generatedCredentialsFile);
    const creds = readFileSync(first.generatedCredentialsFile, 'utf8');
    assert.match(creds, /^\[sailbucket\]\naws_access_key_id = \w+\naws_secret_access_key = .{40}\n$/);
    assert.equal(statSync(first.generatedCredentialsFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'master.key')).mode & 0o777, 0o600);
    // the account file keeps the secret sealed, never in clear
    assert.ok(!readFileSync(join(dir, 'account.json'), 'utf8').includes(first.rootSecretAccessKey));
    const second = loadIdentity(opts);
    assert.equal(second.generatedCredentialsFile, undefined);
    assert.deepEqual(
      [second.accountId, second.rootAccessKeyId, second.rootSecretAccessKey],
      [first.accountId, first.rootAccessKeyId, first.rootSecretAccessKey],
    );
    assert.throws(
      () => loadIdentity(parseServeOptions(['--data-dir', dir, '--account-id', '111111111111'], {})),
      /differs from the account/,
    );
    assert.throws(
      () => loadIdentity(parseServeOptions(['--data-dir', dir], { SAILBUCKET_MASTER_KEY: 'AAAA' })),
      /malformed master key/,
    );
    assert.throws(
      () =>
        loadIdentity(
          parseServeOptions(['--data-dir', dir], { SAILBUCKET_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }),
        ),
      /master key does not match/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('identity: root credentials from the environment are used and no credentials file is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-id-'));
  try {
    const id = loadIdentity(
      parseServeOptions(['--data-dir', dir, '--account-id', '123456789012'], {
        SAILBUCKET_ROOT_ACCESS_KEY_ID: 'ROOTKEYID0000000',
        SAILBUCKET_ROOT_SECRET_ACCESS_KEY: 's'.repeat(40),
      }),
    );
    assert.equal(id.accountId, '123456789012');
    assert.equal(id.rootAccessKeyId, 'ROOTKEYID0000000');
    assert.equal(existsSync(join(dir, 'credentials')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('identity: an unwritable data directory is a clear configuration error', () => {
  assert.throws(
    () => prepareDataDir('/proc/sailbucket-nope'),
    (err: unknown) =>
      err instanceof ConfigError && /data directory '\/proc\/sailbucket-nope' is not writable/.test(err.message),
  );
});

test('--lifecycle-interval: default 3600 s, env, flag wins, bounds; the lifecycle day is env only, 1..86400', () => {
  assert.equal(parseServeOptions([], {}).lifecycleIntervalSeconds, 3600);
  assert.equal(parseServeOptions([], { SAILBUCKET_LIFECYCLE_INTERVAL: '60' }).lifecycleIntervalSeconds, 60);
  assert.equal(
    parseServeOptions(['--lifecycle-interval', '1'], { SAILBUCKET_LIFECYCLE_INTERVAL: '60' }).lifecycleIntervalSeconds,
    1,
  );
  assert.match(SERVE_USAGE, /--lifecycle-interval SECONDS/);
  assert.equal(parseServeOptions([], {}).lifecycleDaySeconds, 86400);
  assert.equal(parseServeOptions([], { SAILBUCKET_LIFECYCLE_DAY_SECONDS: '1' }).lifecycleDaySeconds, 1);
  for (const bad of ['0', '86401', '1.5', 'often']) {
    assert.throws(() => parseServeOptions(['--lifecycle-interval', bad], {}), /invalid lifecycle interval/);
    assert.throws(() => parseServeOptions([], { SAILBUCKET_LIFECYCLE_DAY_SECONDS: bad }), /invalid lifecycle day/);
  }
});
