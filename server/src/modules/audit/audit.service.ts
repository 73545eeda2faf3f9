import type { Db, Prisma } from '../../db/prisma.ts';
import type { ActorType } from '../../generated/prisma/enums.ts';

/**
 * The audit log: who did what to which entity, from where, with the before/after state. Written in the
 * same transaction as the change it records, so a rolled-back change leaves no audit row and a
 * committed one always has its row. Secrets never go in `before`/`after` (callers pass safe views).
 */

export interface AuditActor {
  type: ActorType;
  id?: string | null;
  /** Email or app id, kept so the row stays readable after the user is gone. */
  label?: string | null;
  ip?: string | null;
}

export interface AuditEntry {
  /** dotted verb, e.g. `payout.approve`, `fund_request.reject`, `ledger.adjust`, `auth.login`. */
  action: string;
  merchantId?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
}

/**
 * An audit row a back-office caller asks an operation shared with the merchant API (create, close,
 * simulate) to write inside the operation's own transaction, once it knows the entity.
 */
export type AuditHook = (tx: Db, entity: { id: string; merchantId: string }) => Promise<void>;

export async function recordAudit(db: Db, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorType: actor.type,
      actorId: actor.id ?? null,
      actorLabel: actor.label ?? null,
      ip: actor.ip ?? null,
      merchantId: entry.merchantId ?? null,
      action: entry.action,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId ?? null,
      ...(entry.before != null ? { before: entry.before } : {}),
      ...(entry.after != null ? { after: entry.after } : {}),
    },
  });
}
