import { spawn } from 'node:child_process';
import { createPublicKey, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSecretBox, generateRsaKeyPairAsync, keySerial, signMessage, verifySignature, type RsaKeyPair } from '../src/lib/crypto.ts';
import { newMchId } from '../src/lib/ids.ts';
import { openPlatformPrivateKey } from '../src/modules/apps/platform-keys.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

/** `npm run payrail -- …` as an operator runs it: a child process against a real database. */

// Each run starts a Node process with tsx (a second or more on a busy machine).
vi.setConfig({ testTimeout: 120_000 });

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const SECRET_KEY = randomBytes(32).toString('hex');

let db: TestDatabase;
let workDir: string;
let merchant: { id: string; mchId: string };
let keys: RsaKeyPair;
let keyFile: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function payrail(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    SECRET_KEY,
    PAYRAIL_DATA_DIR: path.join(workDir, 'data'),
  };
  const childEnv = Object.fromEntries(Object.entries({ ...base, ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/payrail.ts', ...args], { cwd: SERVER_DIR, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function json<T>(args: string[], env?: Record<string, string | undefined>): Promise<T> {
  const run = await payrail([...args, '--json'], env);
  if (run.code !== 0) throw new Error(`payrail ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

beforeAll(async () => {
  db = await createTestDatabase();
  workDir = await mkdtemp(path.join(tmpdir(), 'payrail-cli-'));
  const { prisma } = db;
  await prisma.currency.createMany({
    data: [
      { code: 'THB', name: 'Thai baht', digits: 2 },
      { code: 'USDT', name: 'Tether', digits: 6, crypto: true },
      { code: 'IDR', name: 'Rupiah', digits: 0 },
    ],
  });
  const thb = await prisma.service.create({ data: { code: 'THB_BANK', name: 'THB bank transfer', direction: 'PAYIN', kind: 'BANK_TRANSFER', currencyCode: 'THB', requiredFields: [] } });
  const usdt = await prisma.service.create({ data: { code: 'USDT_TRC20', name: 'USDT TRC20', direction: 'PAYIN', kind: 'CRYPTO', currencyCode: 'USDT', chain: 'TRON', requiredFields: [] } });
  const idr = await prisma.service.create({ data: { code: 'IDR_PAYOUT', name: 'IDR payout', direction: 'PAYOUT', kind: 'BANK_TRANSFER', currencyCode: 'IDR', requiredFields: [], status: 'DISABLED' } });
  merchant = await prisma.merchant.create({ data: { mchId: newMchId(), name: 'Siam Shop' }, select: { id: true, mchId: true } });
  await prisma.merchantService.createMany({
    data: [
      { merchantId: merchant.id, serviceId: thb.id, singleLimitLower: 10_000n, singleLimitUpper: 5_000_000n, feeRatePpm: 25_000n, feeFixed: 150n, settlementDays: 1 },
      { merchantId: merchant.id, serviceId: usdt.id, singleLimitUpper: 1_000_000_000n, feeRatePpm: 10_000n },
      { merchantId: merchant.id, serviceId: idr.id, singleLimitLower: 10_000n },
    ],
  });
  keys = await generateRsaKeyPairAsync();
  keyFile = path.join(workDir, 'merchant.pub.pem');
  await writeFile(keyFile, keys.publicKeyPem);
});

afterAll(async () => {
  await db?.drop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('merchants:list', () => {
  it('prints merchants with services, limits as decimal strings in the currency digits', async () => {
    const list = await json<Array<{ mch_id: string; name: string; status: string; apps: unknown[]; services: Array<Record<string, unknown>> }>>(['merchants:list']);
    const entry = list.find((m) => m.mch_id === merchant.mchId);
    expect(entry).toMatchObject({ name: 'Siam Shop', status: 'ACTIVE', apps: [] });
    expect(entry?.services).toEqual([
      {
        code: 'IDR_PAYOUT',
        name: 'IDR payout',
        direction: 'PAYOUT',
        kind: 'BANK_TRANSFER',
        currency: 'IDR',
        chain: null,
        status: 'DISABLED',
        single_limit_lower: '10000',
        single_limit_upper: null,
        fee_rate_percent: '0',
        fee_fixed: '0',
        settlement_days: 0,
      },
      {
        code: 'THB_BANK',
        name: 'THB bank transfer',
        direction: 'PAYIN',
        kind: 'BANK_TRANSFER',
        currency: 'THB',
        chain: null,
        status: 'ENABLED',
        single_limit_lower: '100.00',
        single_limit_upper: '50000.00',
        fee_rate_percent: '2.5',
        fee_fixed: '1.50',
        settlement_days: 1,
      },
      {
        code: 'USDT_TRC20',
        name: 'USDT TRC20',
        direction: 'PAYIN',
        kind: 'CRYPTO',
        currency: 'USDT',
        chain: 'TRON',
        status: 'ENABLED',
        single_limit_lower: null,
        single_limit_upper: '1000.000000',
        fee_rate_percent: '1',
        fee_fixed: '0.000000',
        settlement_days: 0,
      },
    ]);
  });

  it('prints a readable table without --json', async () => {
    const run = await payrail(['merchants:list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${merchant.mchId}  Siam Shop  ACTIVE`);
    expect(run.stdout).toMatch(/THB_BANK\s+PAYIN\s+THB\s+limits 100\.00 \.\. 50000\.00\s+fee 2\.5% \+ 1\.50\s+T\+1\s+ENABLED/);
    expect(run.stdout).toMatch(/USDT_TRC20\s+PAYIN\s+USDT\/TRON\s+limits no minimum \.\. 1000\.000000/);
  });
});

describe('apps:create and apps:rotate-key', () => {
  interface Created {
    app_id: string;
    mch_id: string;
    test: boolean;
    payin_notify_url: string | null;
    payout_notify_url: string | null;
    ip_whitelist: string[];
    merchant_key_serial: string;
    platform_key: { serial: string; public_key_pem: string };
  }
  let created: Created;

  it('creates an app and prints app_id, merchant key serial and platform public key', async () => {
    created = await json<Created>([
      'apps:create',
      '--merchant', merchant.mchId,
      '--public-key', keyFile,
      '--name', 'Checkout',
      '--notify-url', 'https://shop.example/payin',
      '--payout-notify-url', 'https://shop.example/payout',
      '--ip-whitelist', '10.0.0.0/8, 2001:db8::/32',
      '--test',
    ]);
    expect(created).toMatchObject({
      mch_id: merchant.mchId,
      test: true,
      payin_notify_url: 'https://shop.example/payin',
      payout_notify_url: 'https://shop.example/payout',
      ip_whitelist: ['10.0.0.0/8', '2001:db8::/32'],
      merchant_key_serial: keySerial(keys.publicKeyPem),
    });
    expect(created.app_id).toMatch(/^[0-9a-f]{32}$/);

    const app = await db.prisma.app.findUniqueOrThrow({ where: { appId: created.app_id }, include: { merchantKeys: true, platformKeys: true } });
    expect(app).toMatchObject({ merchantId: merchant.id, name: 'Checkout', test: true });
    expect(app.merchantKeys.map((k) => [k.serial, k.status])).toEqual([[created.merchant_key_serial, 'ACTIVE']]);
    const [platformKey] = app.platformKeys;
    expect(platformKey?.serial).toBe(created.platform_key.serial);
    // The sealed private key opens with the server's SECRET_KEY and pairs with the printed public key.
    const privateKey = openPlatformPrivateKey(createSecretBox(Buffer.from(SECRET_KEY, 'hex')), platformKey!.serial, platformKey!.privateKeyEnc);
    expect(verifySignature(created.platform_key.public_key_pem, 'probe', signMessage(privateKey, 'probe'))).toBe(true);
  });

  it('prints the app in text form by default', async () => {
    const run = await payrail(['apps:create', '--merchant', merchant.mchId, '--public-key', keyFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/app_id:\s+[0-9a-f]{32}/);
    expect(run.stdout).toContain(`merchant key serial: ${keySerial(keys.publicKeyPem)}`);
    expect(run.stdout).toContain('ip whitelist:        any address');
    expect(run.stdout).toContain('-----BEGIN PUBLIC KEY-----');
  });

  it('adds a merchant key with --public-key, keeping the old one active', async () => {
    const next = await generateRsaKeyPairAsync();
    const nextFile = path.join(workDir, 'next.pub.pem');
    // PKCS#1 works too.
    await writeFile(nextFile, createPublicKey(next.publicKeyPem).export({ type: 'pkcs1', format: 'pem' }));
    const result = await json<{ app_id: string; merchant_key_serial: string }>(['apps:rotate-key', '--app', created.app_id, '--public-key', nextFile]);
    expect(result).toEqual({ app_id: created.app_id, merchant_key_serial: keySerial(next.publicKeyPem) });
    const active = await db.prisma.merchantKey.findMany({ where: { app: { appId: created.app_id }, status: 'ACTIVE' }, orderBy: { createdAt: 'asc' } });
    expect(active.map((k) => k.serial)).toEqual([created.merchant_key_serial, result.merchant_key_serial]);
  });

  it('rotates the platform key without --public-key; the old one expires in 24 h', async () => {
    const before = Date.now();
    const result = await json<{ platform_key: { serial: string; public_key_pem: string }; retired: Array<{ serial: string; expires_at: string }> }>([
      'apps:rotate-key',
      '--app',
      created.app_id,
    ]);
    expect(result.platform_key.serial).not.toBe(created.platform_key.serial);
    expect(keySerial(result.platform_key.public_key_pem)).toBe(result.platform_key.serial);
    expect(result.retired.map((k) => k.serial)).toEqual([created.platform_key.serial]);
    const expiresAt = Date.parse(result.retired[0]!.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 24 * 3600_000 - 5_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 24 * 3600_000 + 5_000);
    const old = await db.prisma.platformKey.findUniqueOrThrow({ where: { serial: created.platform_key.serial } });
    expect(old.expiresAt?.getTime()).toBe(expiresAt);
  });
});

describe('errors', () => {
  it('explains that DATABASE_URL is required and how to reach the embedded database', async () => {
    const run = await payrail(['merchants:list'], { DATABASE_URL: undefined, EMBEDDED_PG_PORT: '54444' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DATABASE_URL is not set');
    expect(run.stderr).toContain('--embedded');
    expect(run.stderr).toContain('postgresql://postgres:<password>@127.0.0.1:54444/payrail');
    expect(run.stderr).toContain(path.join(workDir, 'data', 'postgres', '.payrail-password'));
  });

  it('--embedded needs an embedded database and a running server', async () => {
    const missing = await payrail(['merchants:list', '--embedded'], { DATABASE_URL: undefined });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no embedded database');

    const dataDir = path.join(workDir, 'embedded');
    await mkdir(path.join(dataDir, 'postgres'), { recursive: true });
    await writeFile(path.join(dataDir, 'postgres', '.payrail-password'), 'pw\n');
    const notRunning = await payrail(['merchants:list', '--embedded'], { DATABASE_URL: undefined, PAYRAIL_DATA_DIR: dataDir, EMBEDDED_PG_PORT: '1' });
    expect(notRunning.code).toBe(1);
    expect(notRunning.stderr).toContain('is `npm start` running?');
    expect(notRunning.stderr).toContain('127.0.0.1:1');
  });

  it('refuses an unknown merchant, a bad key file and a bad whitelist', async () => {
    const privateFile = path.join(workDir, 'private.pem');
    await writeFile(privateFile, keys.privateKeyPem);
    const [unknown, wrongKey, noFile, whitelist] = await Promise.all([
      payrail(['apps:create', '--merchant', '1000000000', '--public-key', keyFile]),
      payrail(['apps:create', '--merchant', merchant.mchId, '--public-key', privateFile]),
      payrail(['apps:create', '--merchant', merchant.mchId, '--public-key', path.join(workDir, 'absent.pem')]),
      payrail(['apps:create', '--merchant', merchant.mchId, '--public-key', keyFile, '--ip-whitelist', '10.0.0.0/8,300.1.1.1']),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('MERCHANT_NOT_FOUND');

    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('INVALID_PUBLIC_KEY');

    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('cannot read');

    expect(whitelist.code).toBe(1);
    expect(whitelist.stderr).toContain('INVALID_PARAMETER');
    expect(whitelist.stderr).toContain('300.1.1.1');

    expect(await db.prisma.app.count({ where: { merchantId: merchant.id } })).toBe(2);
  });

  it('refuses usage mistakes with exit code 2', async () => {
    const runs = await Promise.all([
      payrail(['apps:create', '--merchant', merchant.mchId]),
      payrail(['apps:rotate-key']),
      payrail(['apps:rotate-key', '--app', 'x', '--merchant', 'y']),
      payrail(['nope']),
      payrail(['merchants:list', '--bogus']),
      payrail([]),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain('missing --public-key');
    expect(runs[2]!.stderr).toContain('does not take --merchant');
    const help = await payrail(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('apps:rotate-key');
  });

  it('refuses to create keys without the server secret key, and never makes one up', async () => {
    const [run, unknownApp] = await Promise.all([
      payrail(['apps:rotate-key', '--app', 'f'.repeat(32)], { SECRET_KEY: undefined }),
      payrail(['apps:rotate-key', '--app', 'f'.repeat(32)]),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SECRET_KEY is not set');
    expect(existsSync(path.join(workDir, 'data', 'secret.key'))).toBe(false);
    expect(unknownApp.code).toBe(1);
    expect(unknownApp.stderr).toContain('APP_NOT_FOUND');
  });
});
