import type { RouteLocationRaw } from 'vue-router';
import { i18n } from '@/locales';
import { humanizeCode } from '@/utils/codes';

/**
 * What a ledger transaction refers to, for people (issue 15 defect 5: "ORDER <uuid>" that was no
 * link): the kind in words ("Payin", "Payout", "Fund request") with the number the server resolved
 * for this viewer (`referenceNumber`), and where it opens: a payin or payout in its list's drawer
 * (`?open=<global id>`, the lists' own drawer links), a fund request filtered by its number. A
 * reference the viewer may not read keeps its kind only; an id is never shown.
 */
export interface ReferenceDisplay {
  label: string;
  to: RouteLocationRaw | null;
}

/** The relay global id of a row (what `?open=` takes): base64 of "<Type>:<id>". */
export function globalIdOf(type: string, id: string): string {
  return btoa(`${type}:${id}`);
}

export function referenceDisplay(type: string | null | undefined, id: string | null | undefined, number: string | null | undefined): ReferenceDisplay | null {
  if (!type) return null;
  const { t, te } = i18n.global;
  const key = `finance.references.${type}`;
  const kind = te(key) ? t(key as never) : humanizeCode(type);
  const label = number ? `${kind} ${number}` : kind;
  if (!number || !id) return { label, to: null };
  if (type === 'ORDER') return { label, to: { name: 'payins', query: { open: globalIdOf('Payin', id) } } };
  if (type === 'PAYOUT') return { label, to: { name: 'payouts', query: { open: globalIdOf('Payout', id) } } };
  if (type === 'FUND_REQUEST') return { label, to: { name: 'finance-funds', query: { requestNo: number } } };
  return { label, to: null };
}

/** A ledger transaction kind (PAYIN_SUCCESS, PAYOUT_FREEZE …) in the viewer's language. */
export function ledgerKindLabel(kind: string): string {
  const { t, te } = i18n.global;
  const key = `finance.ledgerKinds.${kind}`;
  return te(key) ? t(key as never) : humanizeCode(kind);
}

/** Where an audited entity opens, when it has a page: a payin or payout in its list's drawer. */
export function entityRoute(entityType: string, entityId: string | null | undefined): RouteLocationRaw | null {
  if (!entityId) return null;
  if (entityType === 'Order') return { name: 'payins', query: { open: globalIdOf('Payin', entityId) } };
  if (entityType === 'Payout') return { name: 'payouts', query: { open: globalIdOf('Payout', entityId) } };
  return null;
}
