/**
 * What the scenarios share while they plan the month: the fixtures' rows, the generator, and the
 * planned ledger postings (posted later, in time order, through the ledger module).
 */
import { createHash } from 'node:crypto';
import { newOrderNo } from '../../lib/ids.ts';
import type { PostingInput } from '../ledger/ledger.service.ts';
import type { ChannelRow, CurrencySpec, RoutableBinding, ServiceRow } from './fixtures/catalog.fixture.ts';
import type { MerchantRow, RoleKey } from './fixtures/merchants.fixture.ts';
import type { Rng } from './demo-rng.ts';
import { HOUR } from './demo-time.ts';

export interface SeedContext {
  rng: Rng;
  now: number;
  /** Start of the history window. */
  start: number;
  currencies: Map<string, CurrencySpec>;
  services: Map<string, ServiceRow>;
  channels: Map<string, ChannelRow>;
  bindings: Map<string, RoutableBinding[]>;
  merchants: MerchantRow[];
  staff: Map<RoleKey, string>;
  orderNos: Set<string>;
  txnSeq: number;
  postingSeq: number;
}

/** A ledger posting to make later, at `at`; `seq` orders postings of the same millisecond. */
export interface PlannedPosting {
  at: number;
  seq: number;
  input: Omit<PostingInput, 'occurredAt'>;
}

export function posting(ctx: SeedContext, at: number, input: Omit<PostingInput, 'occurredAt'>): PlannedPosting {
  return { at, seq: ctx.postingSeq++, input };
}

export const byTime = (a: PlannedPosting, b: PlannedPosting): number => a.at - b.at || a.seq - b.seq;

export function uniqueOrderNo(ctx: SeedContext, prefix: 'P' | 'W' | 'F', at: number): string {
  for (;;) {
    const no = newOrderNo(prefix, new Date(at));
    if (!ctx.orderNos.has(no)) {
      ctx.orderNos.add(no);
      return no;
    }
  }
}

export function nextOutTradeNo(m: MerchantRow, at: number, rng: Rng, kind: 'P' | 'W' = 'P'): string {
  m.outTradeSeq += 1;
  const day = new Date(at + m.spec.utcOffsetHours * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
  const prefix = kind === 'W' ? `${m.spec.tradePrefix}W` : m.spec.tradePrefix;
  return `${prefix}${day}${String(m.outTradeSeq).padStart(6, '0')}${rng.digits(2)}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

