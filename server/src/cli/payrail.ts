/**
 * `npm run payrail -- <command>`: operator commands on a Payrail database, through the same service
 * functions the server uses (never raw SQL).
 *
 *   merchants:list                               merchants with their services, limits and apps
 *   apps:create --merchant <mch_id> --public-key <pem file> [--name <n>] [--notify-url <url>]
 *               [--payout-notify-url <url>] [--ip-whitelist <cidr,…>] [--test]
 *   apps:rotate-key --app <app_id> [--public-key <pem file>]
 *
 * Every command takes `--json` for machine-readable output. The database is DATABASE_URL; `--embedded`
 * instead reaches the embedded PostgreSQL of a running `npm start` (it lives only while the server runs).
 * Commands that create keys need the secret key the server uses: SECRET_KEY, or the development key the
 * server generated into PAYRAIL_DATA_DIR.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config/config.ts';
import { EMBEDDED_DB_NAME } from '../db/database.ts';
import { createPrisma, type PrismaClient } from '../db/prisma.ts';
import { createSecretBox, parseSecretKey, type SecretBox } from '../lib/crypto.ts';
import { isDomainError } from '../lib/errors.ts';
import { formatAmount, formatRatePercent } from '../lib/money.ts';
import {
  addMerchantKey,
  createApp,
  findMerchantByMchId,
  listMerchantsWithServices,
  rotatePlatformKey,
  type MerchantServiceSummary,
} from '../modules/apps/apps.service.ts';

const USAGE = `Usage: npm run payrail -- <command> [options]

Commands:
  merchants:list
      Merchants with their services (currencies, limits, fees) and apps.
  apps:create --merchant <mch_id> --public-key <pem file> [--name <name>] [--notify-url <url>]
              [--payout-notify-url <url>] [--ip-whitelist <cidr,...>] [--test]
      Creates an app for the merchant with its RSA public key; prints the app_id, the merchant key
      serial and the platform public key that signs responses and callbacks.
  apps:rotate-key --app <app_id> [--public-key <pem file>]
      With --public-key: registers another merchant key (the old ones stay active until revoked).
      Without: issues a new platform key; the old one stays published for 24 h.

Options:
  --json       machine-readable output
  --embedded   use the embedded PostgreSQL of a running \`npm start\` instead of DATABASE_URL
  -h, --help   this text

Environment: DATABASE_URL (required unless --embedded), SECRET_KEY (or the development key in
PAYRAIL_DATA_DIR), PAYRAIL_DATA_DIR and EMBEDDED_PG_PORT (for --embedded).
`;

/** Options each command accepts besides --json, --embedded and --help. */
const COMMANDS: Record<string, { options: string[]; run: (ctx: CommandContext) => Promise<unknown> }> = {
  'merchants:list': { options: [], run: merchantsList },
  'apps:create': { options: ['merchant', 'public-key', 'name', 'notify-url', 'payout-notify-url', 'ip-whitelist', 'test'], run: appsCreate },
  'apps:rotate-key': { options: ['app', 'public-key'], run: appsRotateKey },
};

type Values = {
  json?: boolean;
  embedded?: boolean;
  help?: boolean;
  merchant?: string;
  'public-key'?: string;
  name?: string;
  'notify-url'?: string;
  'payout-notify-url'?: string;
  'ip-whitelist'?: string;
  test?: boolean;
  app?: string;
};

interface CommandContext {
  values: Values;
  config: Config;
  prisma: PrismaClient;
  secrets: () => Promise<SecretBox>;
  out: Output;
}

interface Output {
  /** Prints `json` with --json, else the text lines. */
  result(json: unknown, text: () => string[]): void;
}

/** A failure to explain to the operator; exit code 2 for usage and setup problems, 1 otherwise. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        embedded: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        merchant: { type: 'string' },
        'public-key': { type: 'string' },
        name: { type: 'string' },
        'notify-url': { type: 'string' },
        'payout-notify-url': { type: 'string' },
        'ip-whitelist': { type: 'string' },
        test: { type: 'boolean' },
        app: { type: 'string' },
      },
    }));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const [commandName, ...extra] = positionals;
  if (values.help || commandName === undefined || commandName === 'help') {
    process.stdout.write(USAGE);
    return commandName === undefined && !values.help ? 2 : 0;
  }
  const command = COMMANDS[commandName];
  if (!command) return fail(`unknown command "${commandName}"\n\n${USAGE}`, 2);
  if (extra.length > 0) return fail(`unexpected argument "${extra[0]}"`, 2);
  const misplaced = Object.keys(values).filter((name) => !['json', 'embedded', 'help', ...command.options].includes(name));
  if (misplaced.length > 0) return fail(`${commandName} does not take --${misplaced[0]}`, 2);

  const json = values.json === true;
  const out: Output = {
    result(data, text) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text().join('\n')}\n`);
    },
  };

  let prisma: PrismaClient | undefined;
  let config: Config | undefined;
  try {
    const loaded = (config = loadConfig(env));
    const databaseUrl = await resolveDatabaseUrl(loaded, values.embedded === true);
    prisma = createPrisma(databaseUrl, 2);
    let secrets: SecretBox | undefined;
    await command.run({ values, config: loaded, prisma, out, secrets: async () => (secrets ??= await loadSecrets(loaded)) });
    return 0;
  } catch (error) {
    if (error instanceof CliError) return fail(error.message, error.exitCode);
    const unreachable = databaseProblem(error);
    if (unreachable) {
      const hint = values.embedded
        ? `is \`npm start\` running? The embedded PostgreSQL listens on 127.0.0.1:${config?.EMBEDDED_PG_PORT} only while the server runs`
        : 'check DATABASE_URL';
      return fail(`cannot use the database (${unreachable}); ${hint}`, 1);
    }
    if (isDomainError(error)) {
      const details = error.details ? ` ${JSON.stringify(error.details)}` : '';
      return fail(`${error.message} (${error.code})${details}`, 1);
    }
    if (error instanceof Error && error.message.startsWith('Invalid configuration')) return fail(error.message, 2);
    throw error;
  } finally {
    await prisma?.$disconnect();
  }
}

// ---------------------------------------------------------------------------------------------------
// Commands

async function merchantsList({ prisma, out }: CommandContext): Promise<void> {
  const merchants = await listMerchantsWithServices(prisma);
  out.result(
    merchants.map((merchant) => ({
      mch_id: merchant.mchId,
      name: merchant.name,
      status: merchant.status,
      apps: merchant.apps.map((app) => ({ app_id: app.appId, name: app.name, status: app.status, test: app.test })),
      services: merchant.services.map((service) => ({
        code: service.code,
        name: service.name,
        direction: service.direction,
        kind: service.kind,
        currency: service.currency,
        chain: service.chain,
        status: effectiveStatus(service),
        // Decimal strings in the currency's digits; null = no limit.
        single_limit_lower: limit(service.singleLimitLower, service.digits),
        single_limit_upper: limit(service.singleLimitUpper, service.digits),
        fee_rate_percent: formatRatePercent(service.feeRatePpm),
        fee_fixed: formatAmount(service.feeFixed, service.digits),
        settlement_days: service.settlementDays,
      })),
    })),
    () => {
      if (merchants.length === 0) return ['no merchants'];
      const lines: string[] = [];
      for (const merchant of merchants) {
        lines.push(`${merchant.mchId}  ${merchant.name}  ${merchant.status}`);
        for (const app of merchant.apps) {
          lines.push(`  app ${app.appId}  ${app.name}  ${app.status}${app.test ? '  test' : ''}`);
        }
        if (merchant.services.length === 0) lines.push('  no services');
        const width = Math.max(0, ...merchant.services.map((s) => s.code.length));
        for (const service of merchant.services) {
          const lower = limit(service.singleLimitLower, service.digits) ?? 'no minimum';
          const upper = limit(service.singleLimitUpper, service.digits) ?? 'no maximum';
          const chain = service.chain ? `/${service.chain}` : '';
          lines.push(
            `  ${service.code.padEnd(width)}  ${service.direction.padEnd(6)}  ${service.currency}${chain}  ` +
              `limits ${lower} .. ${upper}  fee ${formatRatePercent(service.feeRatePpm)}% + ${formatAmount(service.feeFixed, service.digits)}  ` +
              `T+${service.settlementDays}  ${effectiveStatus(service)}`,
          );
        }
      }
      return lines;
    },
  );
}

async function appsCreate({ values, prisma, secrets, out }: CommandContext): Promise<void> {
  const mchId = required(values.merchant, 'merchant', '<mch_id>');
  const publicKeyPem = await readPem(required(values['public-key'], 'public-key', '<pem file>'));
  const merchant = await findMerchantByMchId(prisma, mchId);
  const ipWhitelist = values['ip-whitelist']
    ?.split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const created = await createApp(prisma, await secrets(), {
    merchantId: merchant.id,
    name: values.name ?? 'API app',
    publicKeyPem,
    payinNotifyUrl: values['notify-url'],
    payoutNotifyUrl: values['payout-notify-url'],
    ipWhitelist,
    test: values.test === true,
  });
  out.result(
    {
      app_id: created.app.appId,
      mch_id: merchant.mchId,
      name: created.app.name,
      test: created.app.test,
      payin_notify_url: created.app.payinNotifyUrl,
      payout_notify_url: created.app.payoutNotifyUrl,
      ip_whitelist: created.app.ipWhitelist,
      merchant_key_serial: created.merchantKeySerial,
      platform_key: { serial: created.platformKey.serial, public_key_pem: created.platformKey.publicKeyPem },
    },
    () => [
      `created app for merchant ${merchant.mchId} (${merchant.name})${created.app.test ? ' [test]' : ''}`,
      `app_id:              ${created.app.appId}`,
      `merchant key serial: ${created.merchantKeySerial}   (the "serial" of your Authorization header)`,
      `platform key serial: ${created.platformKey.serial}   (Payrail-Serial of responses and callbacks)`,
      `ip whitelist:        ${created.app.ipWhitelist.length ? created.app.ipWhitelist.join(', ') : 'any address'}`,
      'platform public key (verify response and callback signatures with it):',
      created.platformKey.publicKeyPem.trimEnd(),
    ],
  );
}

async function appsRotateKey({ values, prisma, secrets, out }: CommandContext): Promise<void> {
  const appId = required(values.app, 'app', '<app_id>');
  const keyFile = values['public-key'];
  if (keyFile !== undefined) {
    const { serial } = await addMerchantKey(prisma, { appId }, await readPem(keyFile));
    out.result({ app_id: appId, merchant_key_serial: serial }, () => [
      `added merchant key ${serial} to app ${appId}`,
      'sign requests with the new key (serial above); the old keys stay active until revoked',
    ]);
    return;
  }
  const rotated = await rotatePlatformKey(prisma, await secrets(), { appId });
  out.result(
    {
      app_id: appId,
      platform_key: { serial: rotated.serial, public_key_pem: rotated.publicKeyPem },
      retired: rotated.retired.map((key) => ({ serial: key.serial, expires_at: key.expiresAt.toISOString() })),
    },
    () => [
      `new platform key for app ${appId}: ${rotated.serial} (signs responses and callbacks from now on)`,
      ...rotated.retired.map((key) => `previous key ${key.serial} stays published until ${key.expiresAt.toISOString()}`),
      'platform public key:',
      rotated.publicKeyPem.trimEnd(),
    ],
  );
}

// ---------------------------------------------------------------------------------------------------
// Setup

/**
 * DATABASE_URL, or with `--embedded` the embedded PostgreSQL of a running server: it listens on
 * 127.0.0.1:EMBEDDED_PG_PORT, superuser `postgres`, password in `<PAYRAIL_DATA_DIR>/postgres/.payrail-password`.
 */
async function resolveDatabaseUrl(config: Config, embedded: boolean): Promise<string> {
  if (embedded) {
    const passwordFile = embeddedPasswordFile(config);
    if (!passwordFile) {
      throw new CliError(
        `no embedded database in ${path.join(path.resolve(config.PAYRAIL_DATA_DIR), 'postgres')}: start the server once with \`npm start\` ` +
          '(from the same folder, with the same PAYRAIL_DATA_DIR), or set DATABASE_URL',
      );
    }
    const password = (await readFile(passwordFile, 'utf8')).trim();
    return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.EMBEDDED_PG_PORT}/${EMBEDDED_DB_NAME}`;
  }
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const passwordFile = embeddedPasswordFile(config) ?? path.join(path.resolve(config.PAYRAIL_DATA_DIR), 'postgres', '.payrail-password');
  throw new CliError(
    [
      'DATABASE_URL is not set.',
      'The CLI works on the database named by DATABASE_URL, e.g.',
      '  DATABASE_URL=postgresql://user:pass@host:5432/payrail npm run payrail -- merchants:list',
      'Without DATABASE_URL the server runs an embedded PostgreSQL that lives only while `npm start` runs. To use it,',
      'keep the server running and pass --embedded (it reads the password for you), or set',
      `  DATABASE_URL=postgresql://postgres:<password>@127.0.0.1:${config.EMBEDDED_PG_PORT}/${EMBEDDED_DB_NAME}`,
      `with the password from ${passwordFile}.`,
    ].join('\n'),
  );
}

/**
 * Where the embedded cluster keeps its password. As root, embedded-postgres.ts moves the cluster to
 * /var/lib/payrail/data-<hash> when the PostgreSQL user cannot reach the data folder; look there too.
 */
function embeddedPasswordFile(config: Config): string | undefined {
  const dataDir = path.join(path.resolve(config.PAYRAIL_DATA_DIR), 'postgres');
  const candidates = [
    path.join(dataDir, '.payrail-password'),
    path.join('/var/lib/payrail', `data-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`, '.payrail-password'),
  ];
  return candidates.find((file) => existsSync(file));
}

/** The key the server seals secrets with; never generated here (a new key would not match the server's). */
async function loadSecrets(config: Config): Promise<SecretBox> {
  if (config.SECRET_KEY) return createSecretBox(parseSecretKey(config.SECRET_KEY));
  const file = path.join(path.resolve(config.PAYRAIL_DATA_DIR), 'secret.key');
  if (!existsSync(file)) {
    throw new CliError(`SECRET_KEY is not set and there is no development key at ${file}: set SECRET_KEY to the server's key (or start the server once)`);
  }
  return createSecretBox(parseSecretKey((await readFile(file, 'utf8')).trim()));
}

async function readPem(file: string): Promise<string> {
  // npm runs this script inside the server workspace; paths are meant from where the user typed them.
  const resolved = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  try {
    return await readFile(resolved, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function required(value: string | undefined, option: string, placeholder: string): string {
  if (value === undefined || value.trim() === '') throw new CliError(`missing --${option} ${placeholder}`);
  return value.trim();
}

function limit(minor: bigint, digits: number): string | null {
  return minor === 0n ? null : formatAmount(minor, digits);
}

function effectiveStatus(service: MerchantServiceSummary): string {
  return service.status === 'ENABLED' && service.serviceStatus === 'ENABLED' ? 'ENABLED' : 'DISABLED';
}

/** A short reason when `error` is Prisma failing to reach or log in to the database (P10xx), else undefined. */
function databaseProblem(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^P10\d\d$/.test(code)) return undefined;
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { kind?: string; originalMessage?: string } } } }).meta?.driverAdapterError?.cause;
  return cause?.originalMessage ?? cause?.kind ?? code;
}

function fail(message: string, code: number): number {
  process.stderr.write(`error: ${message}\n`);
  return code;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
