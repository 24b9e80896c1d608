/**
 * The console's Accounts page in Chromium: only the operator sees it; it creates an account whose
 * root secret is shown once, shows the server's error for a bad quota and changes nothing, sets a
 * quota, lists the account's root keys (no secrets), adds and deletes one, and deletes the account
 * after its name is typed. Every outcome is checked through the
 * SailbucketAdmin API; the new account's key signs in elsewhere and sees neither the page nor the
 * operator's buckets.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { CreateBucketCommand, GetBucketsCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { lightsailClient, REGION } from '../control/support.js';
import { adminCall } from '../s3/support/accounts.js';
import { launchChromium, screenshot } from './browser.js';

interface AccountView {
  accountId: string;
  accountName: string;
  storageQuotaBytes?: number;
}

describe('console Accounts page in Chromium', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let ls: LightsailClient;
  const operatorBucket = uniqueBucketName('operator');
  let team = { accessKeyId: '', secretAccessKey: '' };

  const accounts = async (): Promise<AccountView[]> => {
    const r = await adminCall(server.endpoint, server.credentials, 'GetAccounts', {});
    assert.equal(r.status, 200, r.body);
    return (JSON.parse(r.body) as { accounts: AccountView[] }).accounts;
  };
  const teamB = async (): Promise<AccountView | undefined> =>
    (await accounts()).find((a) => a.accountName === 'team-b');

  async function signIn(p: Page, creds: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
    await p.goto(`${server.endpoint}/-/console/`);
    await p.getByLabel('Access key ID').fill(creds.accessKeyId);
    await p.getByLabel('Secret access key').fill(creds.secretAccessKey);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Buckets', level: 1 }).waitFor();
  }

  before(async () => {
    server = await startServer();
    ls = lightsailClient(server);
    await ls.send(new CreateBucketCommand({ bucketName: operatorBucket, bundleId: 'small_1_0' }));
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(15_000);
  });
  after(async () => {
    await browser?.close();
    ls?.destroy();
    await server?.stop();
  });

  it('the operator creates an account; its root secret is shown once', async () => {
    await signIn(page, server.credentials);
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    await page.getByLabel('Account name').fill('team-b');
    await page.getByRole('button', { name: 'Create account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Account created' });
    team = {
      accessKeyId: await dialog.getByLabel('Access key ID', { exact: true }).inputValue(),
      secretAccessKey: await dialog.getByLabel('Secret access key', { exact: true }).inputValue(),
    };
    assert.ok(team.accessKeyId.length >= 16 && team.secretAccessKey.length >= 16);
    await screenshot(page, 'accounts-01-created');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'team-b', exact: true }).waitFor();
    assert.ok(await teamB(), 'GetAccounts lists the new account');
    await page.reload();
    await page.getByRole('cell', { name: 'team-b', exact: true }).waitFor();
    assert.ok(!(await page.content()).includes(team.secretAccessKey), 'the secret is gone after a reload');
  });

  it("a bad quota shows the server's error and changes nothing; a good one is saved", async () => {
    await page.getByRole('button', { name: 'Set the quota of team-b' }).click();
    const dialog = page.getByRole('dialog', { name: 'Storage quota of team-b' });
    await dialog.getByLabel('Storage quota (GiB)').fill('-5');
    await dialog.getByRole('button', { name: 'Save quota' }).click();
    const error = await dialog.locator('.field-error').innerText();
    assert.match(error, /storageQuotaBytes/);
    assert.equal((await teamB())?.storageQuotaBytes, undefined, 'nothing changed');
    await screenshot(page, 'accounts-02-bad-quota');
    await dialog.getByLabel('Storage quota (GiB)').fill('2');
    await dialog.getByRole('button', { name: 'Save quota' }).click();
    await page.getByText(/Quota of team-b set to 2(\.0)? GB\./).waitFor();
    assert.equal((await teamB())?.storageQuotaBytes, 2 * 1024 ** 3);
  });

  it("the new account's key signs in without the Accounts page and sees none of the operator's buckets", async () => {
    const other = await (await browser.newContext()).newPage();
    other.setDefaultTimeout(15_000);
    await signIn(other, team);
    await other.getByRole('heading', { name: 'No buckets yet' }).waitFor();
    assert.equal(await other.getByText(operatorBucket).count(), 0);
    assert.equal(await other.getByRole('link', { name: 'Accounts' }).count(), 0);
    await other.context().close();
  });

  it("lists the account's root keys without secrets; adds a second and deletes the first", async () => {
    const keys = page.getByRole('list', { name: 'Root access keys of team-b' });
    await keys.getByText(team.accessKeyId).waitFor();
    await page.getByRole('button', { name: 'New root access key for team-b' }).click();
    const dialog = page.getByRole('dialog', { name: 'Root access key created' });
    const second = await dialog.getByLabel('Access key ID', { exact: true }).inputValue();
    const newSecret = await dialog.getByLabel('Secret access key', { exact: true }).inputValue();
    assert.notEqual(second, team.accessKeyId);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await keys.getByText(second).waitFor();
    assert.equal(await keys.locator('li').count(), 2);
    assert.ok(!(await page.content()).includes(team.secretAccessKey), 'no secret in the list');
    await page.getByRole('button', { name: `Delete root access key ${team.accessKeyId} of team-b` }).click();
    await page
      .getByRole('dialog', { name: 'Delete root access key' })
      .getByRole('button', { name: 'Delete key' })
      .click();
    await page.getByText(`Root access key ${team.accessKeyId} of team-b deleted.`).waitFor();
    // The notice can show before the list re-renders: wait for the key to leave it, then count.
    await keys.getByText(team.accessKeyId).waitFor({ state: 'detached' });
    assert.equal(await keys.locator('li').count(), 1);
    // The deleted key no longer signs; the new one does (checked with the Lightsail SDK).
    const deleted = new LightsailClient({ endpoint: server.endpoint, region: REGION, credentials: team });
    await assert.rejects(deleted.send(new GetBucketsCommand({})), (e: Error) => {
      assert.match(e.name, /UnrecognizedClient|InvalidClientTokenId|AccessDenied/);
      return true;
    });
    deleted.destroy();
    const fresh = new LightsailClient({
      endpoint: server.endpoint,
      region: REGION,
      credentials: { accessKeyId: second, secretAccessKey: newSecret },
    });
    assert.ok(Array.isArray((await fresh.send(new GetBucketsCommand({}))).buckets));
    fresh.destroy();
    await screenshot(page, 'accounts-03-root-keys');
  });

  it('deletes the account once its name is typed', async () => {
    await page.getByRole('button', { name: 'Delete account team-b' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete account team-b' });
    const confirm = dialog.getByRole('button', { name: 'Delete account' });
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel('Type team-b to confirm').fill('team-b');
    await confirm.click();
    await page.getByText('Account team-b deleted.').waitFor();
    assert.equal(await teamB(), undefined);
    await screenshot(page, 'accounts-04-deleted');
  });
});
