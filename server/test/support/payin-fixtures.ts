import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/prisma.ts';
import type { SecretBox } from '../../src/lib/crypto.ts';
import { newMchId } from '../../src/lib/ids.ts';
import type { Prisma } from '../../src/generated/prisma/client.ts';

/** Small builders for catalog rows used by the payin tests (real rows, no mocks). */

export async function ensureCurrency(db: Db, code: string, digits: number, crypto = false): Promise<void> {
  await db.currency.upsert({ where: { code }, create: { code, name: code, digits, crypto }, update: {} });
}

export async function createMerchant(db: Db, name = 'Test merchant') {
  return db.merchant.create({ data: { mchId: newMchId(), name } });
}

export async function createService(db: Db, data: Partial<Prisma.ServiceUncheckedCreateInput> & { code: string; currencyCode: string }) {
  return db.service.create({
    data: { name: data.code, direction: 'PAYIN', kind: 'BANK_TRANSFER', requiredFields: [], ...data },
  });
}

export async function activateService(
  db: Db,
  merchantId: string,
  serviceId: string,
  data: Partial<Prisma.MerchantServiceUncheckedCreateInput> = {},
) {
  return db.merchantService.create({ data: { merchantId, serviceId, ...data } });
}

export async function createChannel(
  db: Db,
  data: Partial<Prisma.ChannelUncheckedCreateInput> & { currencyCode: string },
  opts: { secrets?: SecretBox; secret?: string } = {},
) {
  const code = data.code ?? `CH_${randomBytes(4).toString('hex').toUpperCase()}`;
  const credentialsEnc = opts.secrets ? opts.secrets.seal(JSON.stringify({ secret: opts.secret ?? 'sandbox-secret' })) : null;
  return db.channel.create({ data: { name: code, connector: 'sandbox', credentialsEnc, ...data, code } });
}

export async function bindChannel(db: Db, channelId: string, serviceId: string, data: Partial<Prisma.ChannelServiceUncheckedCreateInput> = {}) {
  return db.channelService.create({ data: { channelId, serviceId, ...data } });
}
