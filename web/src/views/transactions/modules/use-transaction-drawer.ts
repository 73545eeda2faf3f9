import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useQuery, useSubscription } from '@urql/vue';
import type { CombinedError } from '@urql/vue';
import { useMessage } from 'naive-ui';
import { computed, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import type { StatusDisplay } from '@/constants/status';
import type { DeliveryDetailFieldsFragment } from '@/gql/graphql';
import { ability } from '@/permissions/ability';
import type { Action } from '@/permissions/ability';
import { session } from '@/store/session-store';
import { humanizeCode } from '@/utils/codes';
import { deliveryChangedSubscription } from '../transactions.graphql';
import type { ActionInput, ActionSpec } from './action-dialog.vue';

/**
 * What the payin and payout drawers do alike: load the transaction `?open=<id>` names (again when the
 * list saw it change, or one of its callbacks moved), start on the details tab for each transaction,
 * and run the back-office action the viewer picked (the dialog's state, the kind's own mutation via
 * `perform`, the success message, the changed row back to the list). transaction-drawer.vue shows it.
 */

/** What the shared drawer reads of a transaction (both detail queries have it). */
export interface DrawerTransaction {
  id: string;
  status: string;
  test: boolean;
  originality: string;
  events: readonly { id: string; type: string; message?: string | null; fromStatus?: string | null; toStatus?: string | null; actorType: string; actorId?: string | null; actorName?: string | null; createdAt: string }[];
  /** The upstream channel (named as the actor of upstream steps). */
  channel?: { name: string } | null;
  deliveries: readonly DeliveryDetailFieldsFragment[];
}

/** What one action returned: its error, or the row as it is now. */
export interface ActionResult<Row> {
  error?: CombinedError;
  row?: Row | null;
}

export interface TransactionDrawerOptions<Data, Node extends DrawerTransaction, Row> {
  query: TypedDocumentNode<Data, { id: string }>;
  nodeOf: (data: Data) => Node | null;
  /** Which side of a pushed delivery names this kind (`payin` for payins, `payout` for payouts). */
  deliveryOf: 'payin' | 'payout';
  /** The CASL subject the actions are checked on. */
  subject: 'Order' | 'Payout';
  /** Status labels of this kind (the header tag, the timeline, the override choices). */
  statuses: Record<string, StatusDisplay>;
  /** The transaction's number, as people know it (named in the success messages). */
  numberOf: (node: Node) => string;
  /** Runs the action `spec.key` of this kind. */
  perform: (spec: ActionSpec, input: ActionInput, node: Node) => Promise<ActionResult<Row>>;
  onChanged: (row: Row) => void;
}

export function useTransactionDrawer<Data, Node extends DrawerTransaction, Row>(props: { id: string | null; version: number }, options: TransactionDrawerOptions<Data, Node, Row>) {
  const { t } = useI18n();
  const message = useMessage();

  const detail = useQuery<Data, { id: string }>({
    query: options.query,
    variables: computed(() => ({ id: props.id ?? '' })),
    pause: computed(() => !props.id),
    requestPolicy: 'network-only',
  });
  const node = computed(() => (detail.data.value ? options.nodeOf(detail.data.value) : null));
  const refresh = () => void detail.executeQuery({ requestPolicy: 'network-only' });

  watch(
    () => props.version,
    () => props.id && refresh(),
  );

  // A callback attempt of this transaction (sent, failed, retried) shows up at once.
  useSubscription({ query: deliveryChangedSubscription, pause: computed(() => !props.id) }, (_prev: unknown, data) => {
    if (props.id && data.deliveryChanged?.[options.deliveryOf]?.id === props.id) refresh();
    return data;
  });

  const tab = ref('details');
  watch(
    () => props.id,
    () => (tab.value = 'details'),
  );

  const statusLabel = (status: string) => (status in options.statuses ? t(options.statuses[status]!.i18nKey) : humanizeCode(status));

  // ─────────────────────────────── actions ───────────────────────────────

  const allowed = (action: Action) => {
    void session.viewer;
    return ability.can(action, options.subject);
  };

  /** Mark as fraud / as normal again: offered on every transaction to whom may. */
  function originalityAction(): ActionSpec | null {
    const n = node.value;
    if (!n || !allowed('markFraud')) return null;
    const toFraud = n.originality !== 'FRAUD';
    return {
      key: toFraud ? 'fraud' : 'normal',
      title: toFraud ? t('transactions.actions.markFraud') : t('transactions.actions.markNormal'),
      description: t('transactions.actions.originalityHint'),
      confirm: toFraud ? t('transactions.actions.markFraud') : t('transactions.actions.markNormal'),
      danger: toFraud,
      reason: 'required',
    };
  }

  const current = ref<ActionSpec | null>(null);
  const actionError = ref<CombinedError | null>(null);
  const running = ref(false);

  function start(spec: ActionSpec) {
    actionError.value = null;
    current.value = spec;
  }

  async function run(input: ActionInput) {
    const spec = current.value;
    const n = node.value;
    if (!spec || !n) return;
    running.value = true;
    actionError.value = null;
    try {
      const result = await options.perform(spec, input, n);
      if (result.error) {
        actionError.value = result.error;
        return;
      }
      message.success(spec.success ? spec.success(input) : t('transactions.actions.doneOn', { action: spec.title, number: options.numberOf(n) }));
      current.value = null;
      if (result.row) options.onChanged(result.row);
      refresh();
    } finally {
      running.value = false;
    }
  }

  return { detail: { fetching: detail.fetching, error: detail.error }, node, refresh, tab, statusLabel, allowed, originalityAction, current, actionError, running, start, run };
}

/** What a drawer hands to transaction-drawer.vue (the same for both kinds but the transaction type). */
export type TransactionDrawer<Node extends DrawerTransaction> = ReturnType<typeof useTransactionDrawer<unknown, Node, unknown>>;
