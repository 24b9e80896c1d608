/**
 * The packed package is whole: `npm pack` → `npm install -g --prefix TMP ./sailbucket-*.tgz` gives a
 * `sailbucket` that serves and answers a CLI command. Dependencies come from the npm cache or the
 * registry (`--prefer-offline`); better-sqlite3 builds against the local Node headers if no
 * prebuilt binary fits. Bounded: pack 2 min, install 10 min, start 30 s, CLI 30 s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/server.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test(
  'npm pack + npm install -g into a temporary prefix gives a working sailbucket (serve and a CLI command)',
  {
    timeout: 15 * 60_000,
  },
  async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sb-install-'));
    try {
      // dist/ is already built by `npm test`; --ignore-scripts keeps pack from rebuilding it under running tests.
      const pack = spawnSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(pack.status, 0, pack.stderr);
      const files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
      assert.ok(files.includes('dist/src/main.js'), 'the compiled server is packed');
      assert.ok(files.includes('bin/sailbucket.js'));
      assert.ok(files.includes('dist/console/index.html'), 'the built web console is packed');
      assert.ok(
        !files.some((f) => f.startsWith('test/') || f.startsWith('dist/test/') || f.startsWith('bench/')),
        'no tests or benchmarks',
      );
      const tgz = readdirSync(tmp).find((f) => /^sailbucket-.*\.tgz$/.test(f));
      assert.ok(tgz, 'tarball written');

      const prefix = join(tmp, 'prefix');
      const install = spawnSync(
        NPM,
        ['install', '-g', '--prefix', prefix, join(tmp, tgz), '--prefer-offline', '--no-audit', '--no-fund'],
        { cwd: tmp, encoding: 'utf8', timeout: 10 * 60_000 },
      );
      assert.equal(install.status, 0, `npm install failed:\n${install.stderr}`);
      const bin = join(prefix, 'bin', 'sailbucket');
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: tmp, AWS_EC2_METADATA_DISABLED: 'true' };
      for (const k of Object.keys(env)) if (k.startsWith('AWS_') && k !== 'AWS_EC2_METADATA_DISABLED') delete env[k];
      for (const k of Object.keys(env)) if (k.startsWith('SAILBUCKET_')) delete env[k];

      const dataDir = join(tmp, 'data');
      const server = spawn(bin, ['serve', '--port', '0', '--data-dir', dataDir], {
        cwd: tmp,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      server.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      try {
        const endpoint = await new Promise<string>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`no listening line; stderr: ${err}`)), 30_000);
          server.stdout.setEncoding('utf8').on('data', (d: string) => {
            out += d;
            const m = /^sailbucket listening on (http:\/\/\S+)\n/.exec(out);
            if (m) {
              clearTimeout(t);
              resolve(m[1]);
            }
          });
          server.once('exit', (code) => {
            clearTimeout(t);
            reject(new Error(`installed server exited (${code}); stderr: ${err}`));
          });
        });
        const cli = spawnSync(bin, ['get-buckets', '--endpoint-url', endpoint, '--region', 'us-east-1'], {
          cwd: tmp,
          env: { ...env, AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'credentials'), AWS_PROFILE: 'sailbucket' },
          encoding: 'utf8',
          timeout: 30_000,
        });
        assert.equal(cli.status, 0, cli.stderr);
        assert.deepEqual(JSON.parse(cli.stdout).buckets, []);
        const page = await fetch(`${endpoint}/-/console/`);
        assert.equal(page.status, 200, 'the installed server serves the console');
        assert.match(await page.text(), /<div id="app">/);
      } finally {
        server.kill('SIGTERM');
        if (server.exitCode === null) await new Promise((r) => server.once('exit', r));
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
);
