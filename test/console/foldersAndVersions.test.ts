/**
 * The console's folder upload (the directory picker), drag-and-drop of a file, and the versions
 * of an object in a versioned bucket, in Chromium; outcomes checked with @aws-sdk/client-s3.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CreateBucketCommand, type LightsailClient } from '@aws-sdk/client-lightsail';
import { GetObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { lightsailClient, REGION } from '../control/support.js';
import { launchChromium, screenshot } from './browser.js';

describe('console folders, drag-and-drop and versions in Chromium', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let ls: LightsailClient;
  let s3: S3Client;
  let dir: string;
  const bucket = uniqueBucketName('folders');

  /** The bucket's keys, once `want` are all there (bounded wait: uploads finish asynchronously). */
  async function keysOnceThere(want: string[]): Promise<string[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const keys = (r.Contents ?? []).map((o) => o.Key!);
      if (want.every((k) => keys.includes(k)) || Date.now() > deadline) return keys;
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  const body = async (key: string): Promise<string> =>
    (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

  before(async () => {
    server = await startServer();
    ls = lightsailClient(server);
    s3 = new S3Client({
      endpoint: server.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: server.credentials,
    });
    await ls.send(new CreateBucketCommand({ bucketName: bucket, bundleId: 'small_1_0', enableObjectVersioning: true }));
    dir = mkdtempSync(join(tmpdir(), 'sailbucket-folder-'));
    mkdirSync(join(dir, 'photos', '2026'), { recursive: true });
    writeFileSync(join(dir, 'photos', 'c.txt'), 'top of the folder');
    writeFileSync(join(dir, 'photos', '2026', 'a.txt'), 'a in a subfolder');
    writeFileSync(join(dir, 'photos', '2026', 'b.txt'), 'b in a subfolder');
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(15_000);
    // The S3 data plane is a lazily loaded chunk: hold it back, so the folder is picked before it has
    // loaded (as on a slow link or a loaded machine) — such an upload must wait for it, not vanish.
    await page.route('**/-/console/assets/s3-*.js', async (route) => {
      await new Promise((res) => setTimeout(res, 1500));
      await route.continue();
    });
    await page.goto(`${server.endpoint}/-/console/`);
    await page.getByLabel('Access key ID').fill(server.credentials.accessKeyId);
    await page.getByLabel('Secret access key').fill(server.credentials.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: bucket }).click();
  });
  after(async () => {
    await browser?.close();
    ls?.destroy();
    s3?.destroy();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a folder with its subfolders through the directory picker', async () => {
    await page.getByLabel('Upload folder').setInputFiles(join(dir, 'photos'));
    const want = ['photos/c.txt', 'photos/2026/a.txt', 'photos/2026/b.txt'];
    const keys = await keysOnceThere(want);
    for (const k of want) assert.ok(keys.includes(k), `${k} uploaded (bucket has ${keys.join(', ')})`);
    assert.equal(await body('photos/2026/b.txt'), 'b in a subfolder');
    await page.getByRole('link', { name: 'photos/' }).click();
    await page.getByRole('link', { name: '2026/' }).click();
    await page.getByRole('button', { name: 'a.txt', exact: true }).waitFor();
    await screenshot(page, 'folders-01-subfolder');
  });

  it('uploads a file dropped on the object list into the open folder', async () => {
    const dataTransfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped on the page'], 'dropped.txt', { type: 'text/plain' }));
      return dt;
    });
    await page.dispatchEvent('.objects', 'dragover', { dataTransfer });
    await page.dispatchEvent('.objects', 'drop', { dataTransfer });
    const keys = await keysOnceThere(['photos/2026/dropped.txt']);
    assert.ok(keys.includes('photos/2026/dropped.txt'), `dropped file uploaded (bucket has ${keys.join(', ')})`);
    assert.equal(await body('photos/2026/dropped.txt'), 'dropped on the page');
  });

  it('shows every version of an object written twice in a versioned bucket', async () => {
    const texts = ['first version', 'second version, longer'];
    for (const [i, text] of texts.entries()) {
      await page
        .getByLabel('Upload files')
        .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
      // Each upload ends as one more version (bounded wait).
      const deadline = Date.now() + 30_000;
      for (;;) {
        const v = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'photos/2026/notes.txt' }));
        if ((v.Versions?.length ?? 0) > i || Date.now() > deadline) break;
        await new Promise((res) => setTimeout(res, 200));
      }
    }
    assert.equal(await body('photos/2026/notes.txt'), texts[1]);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'photos/2026/notes.txt' }));
    assert.equal(versions.Versions?.length, 2);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: 'notes.txt', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'notes.txt' });
    const rows = dialog.getByRole('region', { name: 'Versions' }).locator('tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    const latest = versions.Versions.find((v) => v.IsLatest)!.VersionId!;
    assert.match(await rows.filter({ hasText: 'Latest' }).innerText(), new RegExp(latest));
    await screenshot(page, 'folders-02-versions');
  });
});
