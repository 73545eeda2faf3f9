import type { Db } from '../../src/db/prisma.ts';
import type { App, Merchant, MerchantStatus } from '../../src/generated/prisma/client.ts';
import { generateRsaKeyPairAsync, keySerial, type RsaKeyPair, type SecretBox } from '../../src/lib/crypto.ts';
import { newMchId } from '../../src/lib/ids.ts';
import { createApp, type CreateAppInput } from '../../src/modules/apps/apps.service.ts';
import { MerchantClient } from './merchant-client.ts';

export interface MerchantFixtureOptions {
  merchantName?: string;
  merchantStatus?: MerchantStatus;
  /** App settings (name, notify URLs, whitelist, test flag). */
  app?: Partial<Omit<CreateAppInput, 'merchantId' | 'publicKeyPem'>>;
}

export interface MerchantFixture {
  merchant: Merchant;
  mchId: string;
  app: App;
  /** Public app_id. */
  appId: string;
  /** The merchant's own key pair (the private key signs requests). */
  clientKeys: RsaKeyPair;
  /** Serial of the merchant key, as the Authorization header names it. */
  serial: string;
  platformKey: { serial: string; publicKeyPem: string };
  /** A signing client for a running server, e.g. `fixture.client(env.url)`. */
  client(baseUrl: string): MerchantClient;
}

/** An ACTIVE merchant (fresh mch_id) with a client key pair and an app created through the apps service. */
export async function createMerchantFixture(db: Db, secrets: SecretBox, opts: MerchantFixtureOptions = {}): Promise<MerchantFixture> {
  const clientKeys = await generateRsaKeyPairAsync();
  const merchant = await createActiveMerchant(db, opts);
  const created = await createApp(db, secrets, {
    merchantId: merchant.id,
    name: opts.app?.name ?? 'Fixture app',
    publicKeyPem: clientKeys.publicKeyPem,
    payinNotifyUrl: opts.app?.payinNotifyUrl,
    payoutNotifyUrl: opts.app?.payoutNotifyUrl,
    ipWhitelist: opts.app?.ipWhitelist,
    test: opts.app?.test,
  });
  const serial = created.merchantKeySerial;
  if (serial !== keySerial(clientKeys.publicKeyPem)) throw new Error('merchant key serial mismatch');
  const fixture: MerchantFixture = {
    merchant,
    mchId: merchant.mchId,
    app: created.app,
    appId: created.app.appId,
    clientKeys,
    serial,
    platformKey: created.platformKey,
    client: (baseUrl) => new MerchantClient({ baseUrl, appId: created.app.appId, mchId: merchant.mchId, privateKeyPem: clientKeys.privateKeyPem, serial }),
  };
  return fixture;
}

async function createActiveMerchant(db: Db, opts: MerchantFixtureOptions): Promise<Merchant> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.merchant.create({
        data: { mchId: newMchId(), name: opts.merchantName ?? 'Fixture merchant', status: opts.merchantStatus ?? 'ACTIVE' },
      });
    } catch (error) {
      // A random mch_id may collide with an existing one: draw another.
      if ((error as { code?: string }).code !== 'P2002' || attempt >= 3) throw error;
    }
  }
}
