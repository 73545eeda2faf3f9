import { recordAudit } from '../audit/audit.service.ts';
import { actorOf, assertCan, requireUser, type RequestContext } from '../auth/authorize.ts';
import { createExport, type CreateExportInput } from './exports.service.ts';

/**
 * Starts an export of a list with the filter it has on screen, on behalf of the signed-in user: a
 * merchant member's export covers their merchant only. The file is built by a job; the audit row is
 * written with the export row. `checkFilters` (the adapter's masked-column rule for the list's filter)
 * runs once the viewer is known to be allowed to export at all.
 */
export async function startExport(
  ctx: RequestContext,
  input: { kind: CreateExportInput['kind']; filters: Record<string, unknown> },
  checkFilters: (filters: Record<string, unknown>) => void = () => {},
) {
  const user = requireUser(ctx);
  assertCan(ctx, 'create', 'Export');
  assertCan(ctx, 'export', input.kind === 'PAYINS' ? 'Order' : 'Payout');
  checkFilters(input.filters);
  const row = await createExport(ctx.prisma, { userId: user.userId, merchantId: user.global ? null : user.merchantId, kind: input.kind, filters: input.filters });
  await recordAudit(ctx.prisma, actorOf(ctx), { action: 'export.create', merchantId: row.merchantId, entityType: 'Export', entityId: row.id, after: { kind: row.kind, filters: row.filters as never } });
  return row;
}
