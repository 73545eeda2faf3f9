import { z } from 'zod';
import type { Config } from '../../../config/config.ts';
import type { Db } from '../../../db/prisma.ts';
import type { Channel, OrderType, ServiceKind } from '../../../generated/prisma/client.ts';
import type { SecretBox } from '../../../lib/crypto.ts';
import { DomainError } from '../../../lib/errors.ts';
import { sandboxConnector } from './sandbox/connector.ts';

/**
 * Upstream connectors: how Payrail talks to a payment provider. A channel names its connector in
 * `Channel.connector`; `getConnector` finds it. Each connector lives in `connectors/<name>/` split into
 * `connector.ts` (the flows) and `transformers.ts` (the only code that knows the provider's wire format).
 */

/** What connectors may use: the database (read-only by convention), secrets to open credentials, config. */
export interface ConnectorContext {
  db: Db;
  secrets: SecretBox;
  config: Config;
}

/** The order as a connector sees it (no Prisma row: connectors never write orders). */
export interface PayinRequest {
  orderNo: string;
  prepayId: string;
  amount: bigint;
  currency: string;
  digits: number;
  chain: string | null;
  serviceCode: string;
  serviceKind: ServiceKind;
  orderType: OrderType;
  toAddress: string | null;
  expireAt: Date;
  test: boolean;
  payer: {
    name: string | null;
    account: string | null;
    bankCode: string | null;
    phone: string | null;
    idNumber: string | null;
    remarkCode: string | null;
  };
}

/**
 * What the cashier shows the payer, as a connector returns it and the order stores it (`Order.instructions`).
 * Amounts are decimal strings (display only).
 */
export type PayinInstructions =
  | {
      type: 'bank';
      bankName: string;
      accountName: string;
      accountNumber: string;
      /** When present, the payer must quote it so the upstream can match the transfer. */
      reference?: string;
      amount: string;
      currency: string;
    }
  | {
      type: 'crypto';
      chain: string;
      address: string;
      amount: string;
      currency: string;
    }
  | {
      /** Brazil's instant payments: a key to pay to, and the "copia e cola" code a QR code carries. */
      type: 'pix';
      pixKey: string;
      qrCode: string;
      amount: string;
      currency: string;
    }
  | {
      /** A wallet's QR payment: the text (usually a link) to encode and scan. */
      type: 'qr';
      qrCode: string;
      amount: string;
      currency: string;
    };

const text = z.string().min(1);
const amount = z.string().regex(/^\d+(\.\d+)?$/);

const payinInstructionsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bank'), bankName: text, accountName: text, accountNumber: text, reference: text.optional(), amount, currency: text }),
  z.object({ type: z.literal('crypto'), chain: text, address: text, amount, currency: text }),
  z.object({ type: z.literal('pix'), pixKey: text, qrCode: text, amount, currency: text }),
  z.object({ type: z.literal('qr'), qrCode: text, amount, currency: text }),
]) satisfies z.ZodType<PayinInstructions>;

/** Stored instructions (`Order.instructions`, JSON) read back as the type; null when absent or not of that shape. */
export function parsePayinInstructions(value: unknown): PayinInstructions | null {
  const parsed = payinInstructionsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export interface CreatedPayin {
  upstreamRef: string;
  instructions: PayinInstructions;
}

export interface UpstreamPayment {
  /** The upstream's transaction id, unique per channel. */
  txnId: string;
  /** Minor units of the order's currency. */
  amount: bigint;
  paidAt: Date;
}

/** PAID: money arrived (possibly part of the amount). FAILED: the payment attempt failed. REVERSED: paid money was taken back. */
export type UpstreamStatus = 'PAID' | 'FAILED' | 'REVERSED';

export interface ParsedCallback {
  /** The signature checked out with the channel's credentials. When false nothing else may be trusted. */
  verified: boolean;
  /** What the event is about; absent means a payin (connectors without payouts never set it). */
  subject?: 'payin' | 'payout';
  /** For `subject: 'payout'`: the upstream's verdict on the payout named by `orderRef`. */
  payoutStatus?: UpstreamPayoutStatus | null;
  /** Identifies the upstream event (idempotency and audit); a hash of the body when unparseable. */
  eventKey: string;
  /** Our order number as the upstream echoes it. */
  orderRef: string | null;
  status: UpstreamStatus | null;
  payments: UpstreamPayment[];
  /** Why verification or parsing failed, or the upstream's failure reason. */
  reason?: string;
}

export interface UpstreamPayinState {
  status: 'PENDING' | UpstreamStatus;
  payments: UpstreamPayment[];
}

/** A payout as a connector sees it. */
export interface PayoutRequest {
  payoutNo: string;
  amount: bigint;
  currency: string;
  digits: number;
  chain: string | null;
  serviceCode: string;
  serviceKind: ServiceKind;
  test: boolean;
  description: string | null;
  recipient: {
    name: string | null;
    account: string | null;
    bankCode: string | null;
    phone: string | null;
    idNumber: string | null;
  };
}

/**
 * What an upstream says about a payout. PROCESSING covers "accepted" and "sent to the bank": money may
 * still come back, so it is never treated as success. NOT_FOUND: the upstream has no such payout (our
 * submission never reached it).
 */
export type UpstreamPayoutStatus = 'PROCESSING' | 'SUCCEEDED' | 'FAILED' | 'REVERSED' | 'NOT_FOUND';

export interface SubmittedPayout {
  upstreamRef: string;
  /** FAILED: the upstream refused it outright (nothing was sent). */
  status: 'PROCESSING' | 'SUCCEEDED' | 'FAILED';
  reason?: string;
}

export interface UpstreamPayoutState {
  status: UpstreamPayoutStatus;
  upstreamRef?: string | null;
  /** Free-form stage for the timeline, e.g. "sent to bank". */
  stage?: string;
  reason?: string;
}

export type CallbackHeaders = Record<string, string | string[] | undefined>;

export interface Connector {
  readonly kind: string;
  /**
   * A local connector has no remote side effects when creating a payin (the sandbox): it is called
   * inside the create transaction. Remote ones are called after the order is committed.
   */
  readonly local: boolean;
  createPayin(ctx: ConnectorContext, order: PayinRequest, channel: Channel): Promise<CreatedPayin>;
  queryPayin(ctx: ConnectorContext, order: PayinRequest & { upstreamRef: string | null }, channel: Channel): Promise<UpstreamPayinState>;
  parseCallback(ctx: ConnectorContext, rawBody: string, headers: CallbackHeaders, channel: Channel): Promise<ParsedCallback>;
  /**
   * Sends a payout to the provider. Called once per payout, after it is marked PROCESSING, outside any
   * transaction. Throwing means "we do not know whether it arrived": the payout stays PROCESSING and
   * the janitor asks `queryPayout` later. Providers must deduplicate on `payoutNo`.
   */
  submitPayout?(ctx: ConnectorContext, payout: PayoutRequest, channel: Channel): Promise<SubmittedPayout>;
  queryPayout?(ctx: ConnectorContext, payout: PayoutRequest & { upstreamRef: string | null; submittedAt: Date | null }, channel: Channel): Promise<UpstreamPayoutState>;
}

/** Connectors that can send payouts (routing only offers their channels for payout services). */
export function supportsPayouts(connector: Connector): boolean {
  return typeof connector.submitPayout === 'function' && typeof connector.queryPayout === 'function';
}

const registry = new Map<string, Connector>([[sandboxConnector.kind, sandboxConnector]]);

/** Adds (or replaces) a connector, e.g. a test connector built to fail. */
export function registerConnector(connector: Connector): void {
  registry.set(connector.kind, connector);
}

export function hasConnector(kind: string): boolean {
  return registry.has(kind);
}

/** The connector of a channel; NO_CHANNEL when the kind is not installed (a configuration error). */
export function getConnector(kind: string): Connector {
  const connector = registry.get(kind);
  if (!connector) throw new DomainError('NO_CHANNEL', `connector "${kind}" is not installed`, { connector: kind });
  return connector;
}
