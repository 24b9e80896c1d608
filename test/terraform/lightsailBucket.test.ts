/**
 * Terraform's AWS provider (5.100.0 from the local filesystem mirror) drives aws_lightsail_bucket
 * and aws_lightsail_bucket_access_key against the server: apply, no drift, change the bundle,
 * destroy. Without `terraform` or the provider's mirror the tests fail, saying what is missing:
 * Terraform compatibility is never silently left untested.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetBucketAccessKeysCommand, GetBucketsCommand } from '@aws-sdk/client-lightsail';
import { startServer, uniqueBucketName, type TestServer } from '../helpers/server.js';
import { expectError, lightsailClient } from '../control/support.js';
import { accountsFor } from '../s3/support/accounts.js';

const MIRROR = '/opt/tf-plugins';

/** Fails the suite with what is missing and how to provide it. */
function requireTerraform(): void {
  assert.equal(
    spawnSync('terraform', ['version'], { stdio: 'ignore' }).status,
    0,
    'terraform is not on PATH: install Terraform to test Terraform compatibility',
  );
  assert.ok(
    existsSync(join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws')),
    `no filesystem mirror of the AWS provider under ${MIRROR}: put terraform-provider-aws there ` +
      '(registry.terraform.io/hashicorp/aws/VERSION/linux_amd64/), see README.md',
  );
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function terraform(dir: string, env: Record<string, string>, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`terraform ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const config = (endpoint: string, bucketName: string) => `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

variable "bundle_id" {
  type    = string
  default = "small_1_0"
}

provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    lightsail = "${endpoint}"
  }
}

resource "aws_lightsail_bucket" "b" {
  name      = "${bucketName}"
  bundle_id = var.bundle_id
  tags = {
    env = "test"
  }
}

resource "aws_lightsail_bucket_access_key" "k" {
  bucket_name = aws_lightsail_bucket.b.name
}

output "access_key_id" {
  value = aws_lightsail_bucket_access_key.k.access_key_id
}
`;

describe('Terraform aws_lightsail_bucket + aws_lightsail_bucket_access_key', () => {
  let server: TestServer;
  let dir: string;
  let env: Record<string, string>;
  const bucketName = uniqueBucketName('tf');

  before(async () => {
    requireTerraform();
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'sailbucket-tf-'));
    const cliConfig = join(dir, 'terraformrc');
    writeFileSync(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path    = "${MIRROR}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
    );
    writeFileSync(join(dir, 'main.tf'), config(server.endpoint, bucketName));
    env = {
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  });
  after(async () => {
    if (dir && existsSync(join(dir, 'terraform.tfstate'))) {
      await terraform(dir, env, ['destroy', '-auto-approve', '-no-color'], 120_000).catch(() => undefined);
    }
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('init, apply, no drift, change bundle, destroy', { timeout: 600_000 }, async () => {
    const ok = (r: Run, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
    ok(await terraform(dir, env, ['init', '-no-color', '-input=false'], 120_000), 'terraform init');
    ok(await terraform(dir, env, ['apply', '-auto-approve', '-no-color', '-input=false'], 180_000), 'terraform apply');

    const ls = lightsailClient(server);
    try {
      const bucket = (await ls.send(new GetBucketsCommand({ bucketName }))).buckets![0];
      assert.equal(bucket.bundleId, 'small_1_0');
      assert.deepEqual(bucket.tags, [{ key: 'env', value: 'test' }]);
      const keys = (await ls.send(new GetBucketAccessKeysCommand({ bucketName }))).accessKeys!;
      assert.equal(keys.length, 1);
      const out = await terraform(dir, env, ['output', '-raw', 'access_key_id'], 60_000);
      ok(out, 'terraform output');
      assert.equal(out.stdout.trim(), keys[0].accessKeyId);
      assert.match(out.stdout.trim(), /^AKIA[0-7A-Z]{16}$/);

      const plan = await terraform(dir, env, ['plan', '-detailed-exitcode', '-no-color', '-input=false'], 120_000);
      assert.equal(plan.code, 0, `plan after apply must show no changes (exit 0):\n${plan.stdout}\n${plan.stderr}`);

      ok(
        await terraform(
          dir,
          env,
          ['apply', '-auto-approve', '-no-color', '-input=false', '-var', 'bundle_id=medium_1_0'],
          180_000,
        ),
        'apply with the new bundle',
      );
      assert.equal((await ls.send(new GetBucketsCommand({ bucketName }))).buckets![0].bundleId, 'medium_1_0');
      const plan2 = await terraform(
        dir,
        env,
        ['plan', '-detailed-exitcode', '-no-color', '-input=false', '-var', 'bundle_id=medium_1_0'],
        120_000,
      );
      assert.equal(
        plan2.code,
        0,
        `plan after the bundle change must show no changes:\n${plan2.stdout}\n${plan2.stderr}`,
      );

      ok(
        await terraform(
          dir,
          env,
          ['destroy', '-auto-approve', '-no-color', '-input=false', '-var', 'bundle_id=medium_1_0'],
          180_000,
        ),
        'terraform destroy',
      );
      await expectError(ls.send(new GetBucketsCommand({ bucketName })), 'NotFoundException');
      rmSync(join(dir, 'terraform.tfstate'), { force: true });
    } finally {
      ls.destroy();
    }
  });
});

describe('Terraform with the credentials of a second account', () => {
  let server: TestServer;
  let dir: string;
  let env: Record<string, string>;
  let team: { accountId: string; root: { accessKeyId: string; secretAccessKey: string } };
  const bucketName = uniqueBucketName('tf-team');

  before(async () => {
    requireTerraform();
    server = await startServer();
    const operator = accountsFor(server.endpoint, server.credentials);
    try {
      team = await operator.createAccount('tf-team');
    } finally {
      operator.close();
    }
    dir = mkdtempSync(join(tmpdir(), 'sailbucket-tf-team-'));
    const cliConfig = join(dir, 'terraformrc');
    writeFileSync(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path    = "${MIRROR}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
    );
    writeFileSync(join(dir, 'main.tf'), config(server.endpoint, bucketName));
    env = {
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_ACCESS_KEY_ID: team.root.accessKeyId,
      AWS_SECRET_ACCESS_KEY: team.root.secretAccessKey,
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  });
  after(async () => {
    if (dir && existsSync(join(dir, 'terraform.tfstate'))) {
      await terraform(dir, env, ['destroy', '-auto-approve', '-no-color'], 120_000).catch(() => undefined);
    }
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'apply, no drift and destroy in the second account; the operator never sees the bucket',
    { timeout: 600_000 },
    async () => {
      const ok = (r: Run, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
      ok(await terraform(dir, env, ['init', '-no-color', '-input=false'], 120_000), 'terraform init');
      ok(
        await terraform(dir, env, ['apply', '-auto-approve', '-no-color', '-input=false'], 180_000),
        'terraform apply',
      );
      const asTeam = lightsailClient(server, { credentials: team.root });
      const asOperator = lightsailClient(server);
      try {
        const bucket = (await asTeam.send(new GetBucketsCommand({ bucketName }))).buckets![0];
        assert.ok(bucket.arn?.includes(`:${team.accountId}:`), bucket.arn);
        assert.equal((await asTeam.send(new GetBucketAccessKeysCommand({ bucketName }))).accessKeys!.length, 1);
        await expectError(asOperator.send(new GetBucketsCommand({ bucketName })), 'NotFoundException');
        const plan = await terraform(dir, env, ['plan', '-detailed-exitcode', '-no-color', '-input=false'], 120_000);
        assert.equal(plan.code, 0, `plan after apply must show no changes (exit 0):\n${plan.stdout}\n${plan.stderr}`);
        ok(
          await terraform(dir, env, ['destroy', '-auto-approve', '-no-color', '-input=false'], 180_000),
          'terraform destroy',
        );
        await expectError(asTeam.send(new GetBucketsCommand({ bucketName })), 'NotFoundException');
        rmSync(join(dir, 'terraform.tfstate'), { force: true });
      } finally {
        asTeam.destroy();
        asOperator.destroy();
      }
    },
  );
});
