import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useMutation, useQuery, useSubscription } from '@urql/vue';
import type { AnyVariables } from '@urql/vue';
import { NTag, useNotification } from 'naive-ui';
import type { DataTableColumn, DataTableSortState } from 'naive-ui';
import { computed, h, ref, watch } from 'vue';
import type { ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import MoneyText from '@/components/money-text.vue';
import StatusTag from '@/components/status-tag.vue';
import { useColumnSettings } from '@/composables/use-column-settings';
import type { ColumnChoice } from '@/composables/use-column-settings';
import { useKeysetPaging } from '@/composables/use-keyset-paging';
import type { PageInfoLike } from '@/composables/use-keyset-paging';
import { useFilterActions } from '@/composables/use-list-page';
import { useLiveRows } from '@/composables/use-live-rows';
import { useUrlFilters } from '@/composables/use-url-filters';
import type { FilterShape } from '@/composables/use-url-filters';
import { ORIGINALITY, POSTBACK_STATUS } from '@/constants/status';
import type { CreationType, MoneyFieldsFragment, PayinFilter, Originality, PayoutFilter, PostbackStatus, SortDirection, TxExportStartedFragment } from '@/gql/graphql';
import { ability } from '@/permissions/ability';
import { appState } from '@/store/app-store';
import { session } from '@/store/session-store';
import { testMode } from '@/store/test-mode';
import { failureCode, failureText } from '@/utils/failure';
import { columnsWidth } from '@/utils/table';
import { formatDateTime } from '@/utils/time';
import { merchantIdsOf } from '../transactions.shared';
import type { PayinFilterValues, PayoutFilterValues } from '../transactions.shared';

/**
 * What the payin and payout lists (seed 002) do alike: filters and keyset pages in the URL, the list
 * query, rows that follow the `…Changed` subscription, the columns the user shows or hides (with the
 * columns both kinds have), sorting, the details drawer opened by `?open=<id>`, the switch to the
 * other direction, and an export of exactly what is filtered. Each page passes what differs.
 */

/** The fields of a row that the shared columns and live rows read (both row fragments have them). */
export interface TransactionRow {
  id: string;
  sequence: number;
  status: string;
  test: boolean;
  outTradeNo: string;
  userLabel?: string | null;
  postbackStatus: PostbackStatus;
  creationType: CreationType;
  originality: Originality;
  createdAt: string;
  amount: MoneyFieldsFragment;
  fee: MoneyFieldsFragment;
  merchant: { mchId: string; name: string };
  service: { code: string; name: string };
  channel?: { code: string } | null;
}

interface Connection<Row> {
  totalCount: number;
  pageInfo: PageInfoLike;
  nodes: readonly Row[];
}

type ListVariables<Filter> = {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: Filter | null;
  sort?: { field: never; direction: SortDirection } | null;
};

type Renderers<Row> = Record<string, (row: Row) => unknown>;

export interface TransactionListOptions<Row extends TransactionRow, Values extends PayinFilterValues | PayoutFilterValues, Filter extends PayinFilter | PayoutFilter, Data, SubData> {
  /** `payins` / `payouts`: the route name, the column settings' storage key. */
  name: 'payins' | 'payouts';
  /** The list one reaches with "direction" (keeping the filters both share). */
  other: 'payins' | 'payouts';
  filterDefaults: Values;
  /** `test`: the book shown (the header's "Test data" switch). */
  filterOf: (values: Values, scope: string | null, test: boolean) => Filter;
  query: TypedDocumentNode<Data, ListVariables<Filter>>;
  connectionOf: (data: Data) => Connection<Row> | null | undefined;
  changed: TypedDocumentNode<SubData, { merchantIds?: string[] | null }>;
  changedRowOf: (data: SubData) => Row | null | undefined;
  exportMutation: TypedDocumentNode<{ createExport: TxExportStartedFragment }, { filter?: Filter | null }>;
  /** The CASL subject whose export permission the export button needs. */
  exportSubject: 'Order' | 'Payout';
  /** The identifying column: shown always, links to the drawer, and set on the row as `attribute`. */
  number: { key: string; attribute: string; of: (row: Row) => string };
  /** Every column in its order, with whether it shows by default (the number column first, locked). */
  columns: readonly ColumnChoice[];
  /** Sortable columns and the sort field each one sorts by. */
  sortable: Record<string, string>;
  /** This kind's columns (and relabelled shared ones): key → label, and its own cells. */
  labels: () => Record<string, string>;
  renderers: () => Renderers<Row>;
  /** Columns cut with a tooltip, wider columns (150 px), right-aligned money columns, minimum widths of one's own. */
  layout: { ellipsis: readonly string[]; wide: readonly string[]; money: readonly string[]; widths?: Readonly<Record<string, number>> };
}

export function useTransactionList<Row extends TransactionRow, Values extends PayinFilterValues | PayoutFilterValues, Filter extends PayinFilter | PayoutFilter, Data, SubData>(
  options: TransactionListOptions<Row, Values, Filter, Data, SubData>,
) {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const notification = useNotification();

  const filters = useUrlFilters(options.filterDefaults);
  const paging = useKeysetPaging('CREATED_AT:DESC');

  const viewerReady = computed(() => {
    void session.viewer;
    return session.status === 'ready';
  });
  const isStaff = computed(() => !!session.viewer?.global);
  const scope = computed(() => (isStaff.value ? (appState.merchant?.id ?? null) : null));
  const filter = computed(() => options.filterOf(filters.applied.value as Values, scope.value, testMode.value));

  const list = useQuery<Data, ListVariables<Filter> & AnyVariables>({
    query: options.query,
    variables: computed(() => ({
      ...paging.variables.value,
      filter: filter.value,
      sort: { field: paging.sort.value.field as never, direction: paging.sort.value.direction },
    })),
    requestPolicy: 'cache-and-network',
  });
  const connection = computed(() => (list.data.value ? (options.connectionOf(list.data.value) ?? null) : null));
  const pageRows = computed<readonly Row[]>(() => connection.value?.nodes ?? []);
  const refetch = () => void list.executeQuery({ requestPolicy: 'network-only' });

  // ─────────────────────────────── live rows and the drawer ───────────────────────────────

  const onNewestFirstPage = computed(() => paging.onFirstPage.value && paging.sort.value.field === 'CREATED_AT' && paging.sort.value.direction === 'DESC');
  const live = useLiveRows({ rows: pageRows, onFirstPage: onNewestFirstPage, refetch });
  const drawerVersion = ref(0);
  const openId = computed(() => (typeof route.query.open === 'string' && route.query.open ? route.query.open : null));
  // The drawer (and what only it uses) loads with the first row opened, then stays for its animations.
  const drawerWanted = ref(!!openId.value);
  watch(openId, (id) => {
    if (id) drawerWanted.value = true;
  });

  const subscription = useSubscription<SubData, SubData, { merchantIds?: string[] | null }>(
    {
      query: options.changed,
      variables: computed(() => ({ merchantIds: merchantIdsOf(scope.value, filters.applied.value.merchants as string[]) ?? null })),
      pause: computed(() => !viewerReady.value),
    },
    (_prev: unknown, data) => {
      const row = options.changedRowOf(data);
      // The subscription reports both books; a row of the other one is not this list's.
      if (row && row.test === testMode.value) {
        live.push(row);
        if (row.id === openId.value) drawerVersion.value += 1;
      }
      return data;
    },
  );
  const isLive = computed(() => subscription.fetching.value && !subscription.error.value);

  function openRow(id: string) {
    void router.push({ query: { ...route.query, open: id } });
  }
  function closeDrawer() {
    const query = { ...route.query };
    delete query.open;
    void router.replace({ query });
  }
  function onChanged(row: Row) {
    live.push(row);
  }

  // ─────────────────────────────── columns ───────────────────────────────

  const columns = useColumnSettings(options.name, options.columns);

  function sortOrderOf(key: string): 'ascend' | 'descend' | false {
    if (options.sortable[key] !== paging.sort.value.field) return false;
    return paging.sort.value.direction === 'ASC' ? 'ascend' : 'descend';
  }
  function onSort(state: DataTableSortState | DataTableSortState[] | null) {
    const one = Array.isArray(state) ? state[0] : state;
    const field = one && one.order ? options.sortable[String(one.columnKey)] : undefined;
    void paging.setSort(field ?? null, one?.order === 'ascend' ? 'ASC' : 'DESC');
  }

  /** Labels of the columns both kinds have; a page's own labels come after (and may rename these). */
  const columnLabels = computed<Record<string, string>>(() => ({
    merchant: t('transactions.fields.merchant'),
    service: t('transactions.fields.walletType'),
    channel: t('transactions.fields.channel'),
    amount: t('transactions.fields.amount'),
    fee: t('transactions.fields.fee'),
    status: t('transactions.fields.status'),
    postbackStatus: t('transactions.fields.postbackStatus'),
    outTradeNo: t('transactions.fields.outTradeNo'),
    userLabel: t('transactions.fields.label'),
    createdAt: t('transactions.fields.createdAt'),
    creationType: t('transactions.fields.creationType'),
    originality: t('transactions.fields.originality'),
    ...options.labels(),
  }));
  const settingsColumns = computed(() =>
    columns.configurable.value.filter((c) => c.key !== 'merchant' || isStaff.value).map((c) => ({ key: c.key, label: columnLabels.value[c.key] ?? c.key })),
  );

  function renderers(): Renderers<Row> {
    return {
      [options.number.key]: (row: Row) =>
        h('span', { class: 'order-no' }, [
          h('a', { class: 'row-link', 'data-testid': 'open-row', onClick: (e: Event) => (e.stopPropagation(), openRow(row.id)) }, options.number.of(row)),
          row.test ? h(NTag, { size: 'tiny', type: 'warning', bordered: false, class: 'test-tag' }, () => t('transactions.test')) : null,
        ]),
      merchant: (row) => row.merchant.name,
      // Codes stay whole on one line (never "CNY_BANK_CAR / D").
      service: (row) => h('span', { class: 'code-cell', title: row.service.name }, row.service.code),
      channel: (row) => h('span', { class: 'code-cell' }, row.channel?.code ?? '—'),
      amount: (row) => h(MoneyText, { value: row.amount }),
      fee: (row) => h(MoneyText, { value: row.fee }),
      postbackStatus: (row) => h(StatusTag, { table: POSTBACK_STATUS, value: row.postbackStatus }),
      outTradeNo: (row) => row.outTradeNo,
      userLabel: (row) => row.userLabel ?? '—',
      createdAt: (row) => formatDateTime(row.createdAt),
      creationType: (row) => t(`transactions.creationType.${row.creationType}`),
      originality: (row) => h(StatusTag, { table: ORIGINALITY, value: row.originality }),
      ...options.renderers(),
    };
  }

  const tableColumns = computed<DataTableColumn<Row>[]>(() => {
    const render = renderers();
    const { ellipsis, wide, money } = options.layout;
    const numberKey = options.number.key;
    return options.columns
      .filter((c) => columns.visible.value.has(c.key) && (c.key !== 'merchant' || isStaff.value))
      .map((c) => ({
        key: c.key,
        title: columnLabels.value[c.key] ?? c.key,
        render: render[c.key] as never,
        ellipsis: ellipsis.includes(c.key) ? { tooltip: true } : undefined,
        // Every column has its width (a fixed table layout shares the rest evenly between columns without
        // one); money never wraps, so its columns leave room for a six-decimal USDT amount and its code.
        width: c.key === numberKey ? 215 : (options.layout.widths?.[c.key] ?? (money.includes(c.key) ? 160 : wide.includes(c.key) ? 150 : 110)),
        align: money.includes(c.key) ? ('right' as const) : undefined,
        fixed: c.key === numberKey ? ('left' as const) : undefined,
        sorter: options.sortable[c.key] ? true : undefined,
        sortOrder: options.sortable[c.key] ? sortOrderOf(c.key) : undefined,
      }));
  });

  /** The table is as wide as its columns: no stretching past the card, so the first columns stay in view. */
  const scrollX = computed(() => columnsWidth(tableColumns.value as { width?: number; minWidth?: number }[]));

  const rowProps = (row: Row) => ({
    style: 'cursor: pointer',
    'data-row-id': row.id,
    [options.number.attribute]: options.number.of(row),
    'data-status': row.status,
    onClick: () => openRow(row.id),
  });
  const rowClassName = (row: Row) => (live.flashing.value.has(row.id) ? 'row-flash' : '');

  // ─────────────────────────────── filters, export ───────────────────────────────

  const { applyFilters, resetFilters } = useFilterActions(filters, paging);

  /** "Direction" is the other list, with the filters both lists share. */
  function switchDirection() {
    const f = filters.draft as Values;
    const shared = { q: f.q, cFrom: f.cFrom, cTo: f.cTo, outTradeNo: f.outTradeNo, label: f.label, type: f.type, originality: f.originality };
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(shared)) if (value) query[key] = value;
    for (const key of ['postback', 'merchants'] as const) if (f[key].length) query[key] = f[key].join(',');
    void router.push({ name: options.other, query });
  }

  const canExport = computed(() => {
    void session.viewer;
    return ability.can('create', 'Export') && ability.can('export', options.exportSubject);
  });
  const exporting = useMutation(options.exportMutation);

  async function startExport() {
    const result = await exporting.executeMutation({ filter: filter.value });
    if (result.error || !result.data) {
      notification.error({ title: t('transactions.export.failed'), content: `${failureText(result.error, 'transactions')} (${failureCode(result.error)})`, duration: 8000 });
      return;
    }
    const notice = notification.info({
      title: t('transactions.export.started'),
      content: t('transactions.export.startedBody'),
      duration: 8000,
      keepAliveOnHover: true,
      action: () =>
        h(RouterLink, { to: { name: 'downloads' }, onClick: () => notice.destroy(), 'data-testid': 'export-started-link' }, { default: () => t('transactions.export.openDownloads') }),
    });
  }

  return {
    filters: { draft: filters.draft as FilterShape, applied: filters.applied as ComputedRef<FilterShape>, activeCount: filters.activeCount },
    paging,
    fetching: list.fetching,
    error: list.error,
    connection,
    refetch,
    rows: live.merged,
    isLive,
    subscriptionError: subscription.error,
    openId,
    drawerWanted,
    drawerVersion,
    closeDrawer,
    onChanged,
    columns: { visible: columns.visible, setVisible: columns.setVisible, reset: columns.reset, settings: settingsColumns },
    tableColumns,
    scrollX,
    rowProps,
    rowClassName,
    onSort,
    applyFilters,
    resetFilters,
    switchDirection,
    canExport,
    exportFetching: exporting.fetching,
    startExport,
  };
}

/** What a list page hands to transaction-list-page.vue (the same for both kinds but the row type). */
export type TransactionList<Row extends TransactionRow> = ReturnType<typeof useTransactionList<Row, PayinFilterValues, PayinFilter, unknown, unknown>>;
