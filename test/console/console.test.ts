/**
 * The web console end to end: headless Chromium signs in with the root credentials and drives the
 * pages by their labels, and every outcome is checked through the public APIs with the AWS SDK
 * (or anonymously) rather than through the page alone. The tests run in order on one page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GetBucketsCommand, type LightsailClient } from '@aws-sdk/client-lightsail';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { lightsailClient, REGION } from '../control/support.js';
import { launchChromium, OUTPUT_DIR, screenshot } from './browser.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('web console in Chromium', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ls: LightsailClient;
  let rootS3: S3Client;
  const bucket = uniqueBucketName('console');
  const small = { name: 'hello.txt', buffer: Buffer.from('Hello from the Sailbucket console.\n') };
  const big = { name: 'big.bin', buffer: randomBytes(20 * 1024 * 1024) };
  let keyId = '';
  let keySecret = '';

  before(async () => {
    server = await startServer({ args: ['--metrics-interval', '1'] });
    ls = lightsailClient(server);
    rootS3 = new S3Client({
      endpoint: server.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: server.credentials,
    });
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });
  after(async () => {
    await browser?.close();
    ls?.destroy();
    rootS3?.destroy();
    await server?.stop();
  });

  const alertText = () => page.getByRole('alert').first().innerText();

  it('redirects a browser from / to the console and signs in with the root key', async () => {
    await page.goto(`${server.endpoint}/`);
    assert.equal(new URL(page.url()).pathname, '/-/console/');
    await page.getByLabel('Access key ID').fill(server.credentials.accessKeyId);
    await page.getByLabel('Secret access key').fill('wrong-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The server's own message, not a generic one.
    assert.match(await alertText(), /signature/i);
    await page.getByLabel('Secret access key').fill(server.credentials.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Buckets', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'No buckets yet' }).waitFor();
    // The secret is in sessionStorage only: not in localStorage, a cookie or the URL.
    const storage = await page.evaluate(() => ({
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
    }));
    assert.ok(storage.session.includes(server.credentials.secretAccessKey));
    assert.ok(!storage.local.includes(server.credentials.secretAccessKey));
    assert.deepEqual(await context.cookies(), []);
    assert.ok(!page.url().includes(server.credentials.secretAccessKey));
    await screenshot(page, '01-signed-in-empty');
  });

  it('creates a bucket, validating the name as it is typed', async () => {
    await page.getByRole('button', { name: 'Create bucket' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create bucket' });
    await dialog.getByLabel('Bucket name').fill('Bad_Name');
    await dialog.getByText('Use only lowercase letters, digits and hyphens.').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Create bucket' }).isDisabled(), true);
    await dialog.getByLabel('Bucket name').fill(bucket);
    await dialog.getByText('$3.00 / month').click();
    await screenshot(page, '02-create-bucket');
    await dialog.getByRole('button', { name: 'Create bucket' }).click();
    await page.getByRole('link', { name: bucket }).waitFor();
    const r = await ls.send(new GetBucketsCommand({ bucketName: bucket }));
    assert.equal(r.buckets?.[0]?.bundleId, 'medium_1_0');
    await screenshot(page, '03-buckets');
  });

  it('shows the server error for a taken name and creates nothing', async () => {
    await page.getByRole('button', { name: 'Create bucket' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create bucket' });
    await dialog.getByLabel('Bucket name').fill(bucket);
    await dialog.getByRole('button', { name: 'Create bucket' }).click();
    const text = await dialog.getByRole('alert').innerText();
    assert.match(text, new RegExp(bucket));
    assert.match(text, /already|taken|exists|own/i);
    await screenshot(page, '04-create-bucket-error');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const all = await ls.send(new GetBucketsCommand({}));
    assert.equal(all.buckets?.filter((b) => b.name === bucket).length, 1);
  });

  it('creates an access key whose secret is shown once and is gone after a reload', async () => {
    await page.getByRole('link', { name: bucket }).click();
    await page.getByRole('link', { name: 'Permissions' }).click();
    await page.getByRole('button', { name: 'Create access key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Access key created' });
    const id = await dialog.getByLabel('Access key ID', { exact: true }).inputValue();
    keySecret = await dialog.getByLabel('Secret access key', { exact: true }).inputValue();
    keyId = id;
    assert.match(id, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(keySecret.length, 40);
    await dialog.getByRole('button', { name: 'Copy secret access key' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download credentials file' }).click(),
    ]);
    const file = readFileSync(await download.path(), 'utf8');
    assert.match(file, new RegExp(`aws_access_key_id = ${id}`));
    assert.ok(file.includes(`aws_secret_access_key = ${keySecret}`));
    await screenshot(page, '05-access-key-created');
    // The key works on S3 for its bucket.
    const keyS3 = new S3Client({
      endpoint: server.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: id, secretAccessKey: keySecret },
    });
    const listed = await keyS3.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.equal(listed.KeyCount, 0);
    keyS3.destroy();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: id, exact: true }).waitFor();
    await page.reload();
    await page.getByRole('cell', { name: id, exact: true }).waitFor();
    assert.ok(!(await page.content()).includes(keySecret));
    const storage = await page.evaluate(() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage));
    assert.ok(!storage.includes(keySecret));
    await screenshot(page, '06-permissions');
  });

  it('uploads a small file and a 20 MiB file (multipart) with a progress bar per file', async () => {
    await page.getByRole('link', { name: 'Objects' }).click();
    await page.getByRole('heading', { name: 'This bucket is empty' }).waitFor();
    // Every value each bar takes, recorded in the page (polling from here could miss them).
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { bigSeen: number[] }).bigSeen = seen;
      new MutationObserver(() => {
        const p = document.querySelector<HTMLProgressElement>('progress[aria-label="Upload of big.bin"]');
        if (p !== null) seen.push(p.value);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // From files on disk: the browser reads them itself (a 20 MiB buffer would cross the protocol).
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const paths = [small, big].map((f) => {
      const path = join(OUTPUT_DIR, f.name);
      writeFileSync(path, f.buffer);
      return path;
    });
    await page.getByLabel('Upload files').setInputFiles(paths);
    // Polled with evaluate (a locator waits for a painted frame, which a busy page may delay).
    let state = '';
    for (let i = 0; i < 240 && !state.startsWith('Uploads finished'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      state = await page.evaluate(() => document.querySelector('.uploads')?.textContent ?? '');
    }
    assert.match(state, /^Uploads finished/, `uploads did not finish: ${state}`);
    const bigSeen: number[] = await page.evaluate(() => (window as unknown as { bigSeen: number[] }).bigSeen);
    assert.ok(
      bigSeen.some((v) => v > 0 && v < 100),
      `intermediate progress seen: ${JSON.stringify(bigSeen)}`,
    );
    assert.equal(bigSeen.at(-1), 100);
    await screenshot(page, '07-uploaded');
    assert.equal(await page.getByRole('progressbar', { name: 'Upload of hello.txt' }).getAttribute('value'), '100');
    await page.getByRole('button', { name: 'hello.txt', exact: true }).waitFor();
    await page.getByRole('button', { name: 'big.bin', exact: true }).waitFor();
    const head = await rootS3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    assert.equal(head.ContentLength, big.buffer.length);
    assert.match(head.ETag ?? '', /-3"$/, 'three 8 MiB parts');
    await screenshot(page, '08-objects');
  });

  it('downloads the 20 MiB file and it matches what was uploaded', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download big.bin' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'big.bin');
    const path = join(OUTPUT_DIR, 'downloaded-big.bin');
    await download.saveAs(path);
    assert.equal(sha256(readFileSync(path)), sha256(big.buffer));
  });

  it('makes a share link that opens in a fresh browser context', async () => {
    await page.getByRole('button', { name: 'Share hello.txt' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share hello.txt' });
    await dialog.getByLabel('Link expires after').selectOption({ label: '15 minutes' });
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const url = await dialog.getByLabel('Share link', { exact: true }).inputValue();
    const expires = Number(new URL(url).searchParams.get('X-Amz-Expires'));
    assert.equal(expires, 900);
    await screenshot(page, '09-share-link');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    const res = await other.goto(url);
    assert.equal(res?.status(), 200);
    assert.equal((await other.locator('body').innerText()).trim(), small.buffer.toString().trim());
    await fresh.close();
  });

  it('shows object details', async () => {
    await page.getByRole('button', { name: 'big.bin', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'big.bin' });
    await dialog.getByText('20 MB (20,971,520 bytes)').waitFor();
    await dialog.getByText('application/octet-stream').waitFor();
    await screenshot(page, '10-object-details');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('makes the bucket public, and an anonymous GET then reads the object', async () => {
    const objectUrl = `${server.endpoint}/${bucket}/hello.txt`;
    assert.equal((await fetch(objectUrl)).status, 403);
    await page.getByRole('link', { name: 'Permissions' }).click();
    await page.getByLabel('All objects are public (read-only)').check();
    await page.getByRole('button', { name: 'Save access rule' }).click();
    await page.getByText('Access rule saved.').waitFor();
    const res = await fetch(objectUrl);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), small.buffer.toString());
    await screenshot(page, '11-public');
  });

  it('plots a metric point on the storage chart', async () => {
    await page.getByRole('link', { name: 'Metrics' }).click();
    const point = page.locator('section[aria-label="Storage used"] circle.point');
    // Samples are taken every second; reload the period until one is there (bounded).
    for (let i = 0; i < 20 && (await point.count()) === 0; i++) {
      await page.getByRole('button', { name: 'Last day' }).click();
      await page.getByRole('button', { name: 'Last hour' }).click();
      await page.waitForTimeout(500);
    }
    assert.ok((await point.count()) >= 1);
    const label = await page.locator('section[aria-label="Storage used"] svg').getAttribute('aria-label');
    assert.match(label ?? '', /latest 20/);
    await screenshot(page, '12-metrics');
  });

  it('edits CORS rules; a rule the server refuses shows its error and changes nothing', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const editor = page.getByLabel('CORS rules (JSON)');
    await editor.fill(
      '[{"allowedOrigins": ["https://app.example"], "allowedMethods": ["GET", "PUT"], "maxAgeSeconds": 600}]',
    );
    await page.getByRole('button', { name: 'Save CORS rules' }).click();
    await page.getByText('CORS rules saved.').waitFor();
    const pre = await fetch(`${server.endpoint}/${bucket}/hello.txt`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' },
    });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'https://app.example');
    // Not JSON: the editor says so and will not save.
    await editor.fill('[{"allowedOrigins": [');
    await page.getByText(/Not valid JSON/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save CORS rules' }).isDisabled(), true);
    // Valid JSON the server refuses: its message is shown, and the saved rules stay.
    await editor.fill('[{"allowedOrigins": ["https://*.*.example"], "allowedMethods": ["GET"]}]');
    await page.getByRole('button', { name: 'Save CORS rules' }).click();
    assert.match(await alertText(), /more than one '\*' wildcard/);
    await screenshot(page, '13-cors-error');
    const r = await ls.send(new GetBucketsCommand({ bucketName: bucket, includeCors: true }));
    assert.deepEqual(r.buckets?.[0]?.cors?.rules?.[0]?.allowedOrigins, ['https://app.example']);
  });

  it('signs in with a bucket key, which sees only the objects of its bucket', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access key ID').fill(keyId);
    await page.getByLabel('Secret access key').fill(keySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'hello.txt', exact: true }).waitFor();
    await page.getByRole('heading', { name: bucket, level: 1 }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Permissions' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Buckets' }).count(), 0);
    await screenshot(page, '14-bucket-key');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access key ID').fill(server.credentials.accessKeyId);
    await page.getByLabel('Secret access key').fill(server.credentials.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: bucket }).click();
  });

  it('deletes objects, then the bucket after typing its name', async () => {
    await page.getByRole('link', { name: 'Objects' }).click();
    await page.getByLabel('Select hello.txt').check();
    await page.getByRole('button', { name: 'Delete (1)' }).click();
    await page.getByRole('dialog', { name: 'Delete objects' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Deleted 1 object.').waitFor();
    const left = await rootS3.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(
      left.Contents?.map((o) => o.Key),
      ['big.bin'],
    );
    await page.getByRole('link', { name: 'Buckets' }).first().click();
    await page.getByRole('button', { name: `Delete bucket ${bucket}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete bucket ${bucket}` });
    const confirm = dialog.getByRole('button', { name: 'Delete bucket' });
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel(/Type the bucket name/).fill(bucket);
    // Not empty and no force delete: the server refuses and the bucket stays.
    await confirm.click();
    assert.ok((await dialog.getByRole('alert').innerText()).length > 0);
    assert.equal((await ls.send(new GetBucketsCommand({ bucketName: bucket }))).buckets?.length, 1);
    await dialog.getByLabel(/Force delete/).check();
    await screenshot(page, '15-delete-bucket');
    await confirm.click();
    await page.getByText(`Bucket ${bucket} deleted.`).waitFor();
    const all = await ls.send(new GetBucketsCommand({}));
    assert.equal(
      all.buckets?.some((b) => b.name === bucket),
      false,
    );
    await screenshot(page, '16-deleted');
  });
});
