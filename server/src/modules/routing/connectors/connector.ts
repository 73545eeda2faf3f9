import { z } from 'zod';
import type { Config } from '../../../config/config.ts';
import type { Db } from '../../../db/prisma.ts';
import type { Channel, OrderType, ServiceKind } from '../../../generated/prisma/client.ts';
import type { SecretBox } from '../../../lib/crypto.ts';
import type { JobTask } from '../../../jobs/job-context.ts';

/**
 * Upstream connectors: how Payrail talks to a payment provider. A channel names its connector in
 * `Channel.connector`; `getConnector` (registry.ts) finds it. Each connector lives in `connectors/<name>/`
 * split into `connector.ts` (the flows) and `transformers.ts` (the only code that knows the provider's
 * wire format). Beyond the flows a connector may offer capabilities: background `tasks` of its own and
 * a `simulator` (a simulated upstream for test money). Nothing outside a connector's folder names one.
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
  /** Background tasks of the connector's own (platform.ts hands them to the worker). */
  readonly tasks?: Record<string, JobTask>;
  /** Present on a simulated upstream (the sandbox): test payins and payouts only. */
  readonly simulator?: Simulator;
}

export type SimulatedOutcome = 'success' | 'failure' | 'reversal';

/** A test payin as a simulated upstream sees it. */
export interface SimulatedPayinTarget {
  orderNo: string;
  upstreamRef: string | null;
  amount: bigint;
  paidAmount: bigint;
  currency: string;
  /** Payments already received (a reversal reverses them). */
  payments: Array<{ txnId: string; amount: bigint; paidAt: Date }>;
}

export interface SimulateOptions {
  /** Given: that outcome. Absent: the simulator decides (e.g. by its channel's success rate). */
  outcome?: SimulatedOutcome;
  /** Amount of a successful payment; default what is still missing (or the whole amount). */
  amount?: bigint;
  /** Default the channel's configured delay. */
  delayMs?: number;
  random?: () => number;
  now?: Date;
}

export interface SimulationScheduled {
  outcome: SimulatedOutcome;
  eventId: string;
  runAt: Date;
  payments: UpstreamPayment[];
}

/** A test payout as a simulated upstream sees it. */
export interface SimulatedPayoutTarget {
  payoutNo: string;
  upstreamRef: string | null;
  currency: string;
  digits: number;
}

/**
 * A simulated upstream: it answers like a provider, with signed callbacks over HTTP scheduled in the
 * caller's transaction, so results come back through the normal upstream path. Test money only.
 */
export interface Simulator {
  /** The callback of a payin's result; also how the simulated upstream answers a payer who reports a payment. */
  payin(ctx: { db: Db; secrets: SecretBox }, target: SimulatedPayinTarget, channel: Channel, opts?: SimulateOptions): Promise<SimulationScheduled>;
  /** The callback of a payout's result. */
  payout(
    ctx: { db: Db; secrets: SecretBox },
    target: SimulatedPayoutTarget,
    channel: Channel,
    outcome: SimulatedOutcome,
    delayMs?: number,
  ): Promise<{ eventId: string; runAt: Date }>;
}

/** Connectors that can send payouts (routing only offers their channels for payout services). */
export function supportsPayouts(connector: Connector): boolean {
  return typeof connector.submitPayout === 'function' && typeof connector.queryPayout === 'function';
}
