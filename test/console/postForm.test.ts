/**
 * A real HTML form upload in headless Chromium: a page (served by the test on its own origin, as a
 * web application would serve it) holds the fields of a POST policy made with
 * @aws-sdk/s3-presigned-post and an `<input type=file>`; submitting it uploads the file to the
 * bucket and the browser follows `success_action_redirect`. A file over the policy's size range
 * shows S3's error document instead and stores nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { Browser } from 'playwright-core';
import { startDataPlane, type DataPlaneFixture } from '../s3/clientsHarness.js';
import { launchChromium, screenshot } from './browser.js';

let fx: DataPlaneFixture;
let app: Server;
let appUrl: string;
let browser: Browser;
/** The page the next GET / serves. */
let page = '';

const escapeHtml = (v: string): string =>
  v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

before(async () => {
  fx = await startDataPlane();
  app = createServer((req, res) => {
    const url = new URL(req.url ?? '/', appUrl);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/done') {
      res.end(`<!doctype html><h1>Uploaded</h1><p id="key">${escapeHtml(url.searchParams.get('key') ?? '')}</p>
        <p id="etag">${escapeHtml(url.searchParams.get('etag') ?? '')}</p>`);
      return;
    }
    res.end(page);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  await fx?.close();
});

async function formPage(maxBytes: number): Promise<string> {
  const { url, fields } = await createPresignedPost(fx.s3For(fx.key), {
    Bucket: fx.bucket,
    Key: 'browser/${filename}',
    Conditions: [
      ['content-length-range', 1, maxBytes],
      ['starts-with', '$key', 'browser/'],
    ],
    Fields: { success_action_redirect: `${appUrl}/done` },
    Expires: 600,
  });
  const hidden = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  return `<!doctype html><title>Upload</title>
    <form action="${escapeHtml(url)}" method="post" enctype="multipart/form-data">
      ${hidden}
      <label>File <input type="file" name="file"></label>
      <button type="submit">Upload</button>
    </form>`;
}

test('an HTML form uploads a file from Chromium and follows success_action_redirect', async () => {
  page = await formPage(1024 * 1024);
  const ctx = await browser.newContext();
  try {
    const tab = await ctx.newPage();
    await tab.goto(appUrl);
    const content = randomBytes(200_000);
    await tab.getByLabel('File').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: content });
    await Promise.all([tab.waitForURL(`${appUrl}/done?**`), tab.getByRole('button', { name: 'Upload' }).click()]);
    assert.equal(await tab.locator('#key').textContent(), 'browser/photo.jpg');
    assert.match((await tab.locator('#etag').textContent()) ?? '', /^"[0-9a-f]{32}"$/);
    await screenshot(tab, 'post-form-uploaded');
    const got = await fx.s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: 'browser/photo.jpg' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(content), 'the stored bytes are the file');
  } finally {
    await ctx.close();
  }
});

test("a file over the policy's size range shows S3's error in the browser and stores nothing", async () => {
  page = await formPage(1000);
  const ctx = await browser.newContext();
  try {
    const tab = await ctx.newPage();
    await tab.goto(appUrl);
    await tab
      .getByLabel('File')
      .setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: randomBytes(5000) });
    const [response] = await Promise.all([
      tab.waitForNavigation(),
      tab.getByRole('button', { name: 'Upload' }).click(),
    ]);
    assert.equal(response?.status(), 400);
    assert.match(await tab.content(), /EntityTooLarge/);
    await screenshot(tab, 'post-form-too-large');
    await assert.rejects(fx.s3.send(new HeadObjectCommand({ Bucket: fx.bucket, Key: 'browser/big.bin' })));
  } finally {
    await ctx.close();
  }
});
