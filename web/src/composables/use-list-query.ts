import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useQuery } from '@urql/vue';
import type { AnyVariables } from '@urql/vue';
import { computed } from 'vue';
import { useKeysetPaging } from '@/composables/use-keyset-paging';
import type { PageInfoLike } from '@/composables/use-keyset-paging';
import { useFilterActions } from '@/composables/use-list-page';
import { useUrlFilters } from '@/composables/use-url-filters';
import type { FilterShape } from '@/composables/use-url-filters';
import type { SortDirection } from '@/gql/graphql';

/** The keyset arguments of every connection field; the list fills them from the URL. */
interface PagingVariables {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

interface Connection<Row> {
  totalCount?: number | null;
  pageInfo: PageInfoLike;
  nodes: readonly Row[];
}

export interface ListQueryOptions<Data, Variables extends PagingVariables & AnyVariables, Filters extends FilterShape, Row> {
  /** The list's connection query (a `graphql()` document). */
  query: TypedDocumentNode<Data, Variables>;
  /** The filter fields with their defaults (kept in the URL; see useUrlFilters). */
  filters: Filters;
  /** The sort before the user picks one, `FIELD:DIRECTION`. */
  sort: string;
  /** The query's own variables (filter, sort) from the applied filters and the sort; the list adds the paging ones. */
  variables: (filters: Filters, sort: { field: string; direction: SortDirection }) => Omit<Variables, keyof PagingVariables>;
  /** The connection in the query's data. */
  connection: (data: Data) => Connection<Row> | null | undefined;
}

/**
 * What a filtered, keyset-paged list page does before its own columns and drawers: filters and pages
 * in the URL, the query with its variables (`cache-and-network`), the connection and its rows,
 * applying or resetting the filters (back to the first page) and refreshing from the network.
 * `search` is what the page's `modules/<page>-search.vue` takes and `shell` what list-page.vue takes
 * (both for `v-bind`).
 */
export function useListQuery<Data, Variables extends PagingVariables & AnyVariables, Filters extends FilterShape, Row extends { id: string }>(
  options: ListQueryOptions<Data, Variables, Filters, Row>,
) {
  const filters = useUrlFilters(options.filters);
  const paging = useKeysetPaging(options.sort);

  const variables = computed(() => ({ ...paging.variables.value, ...options.variables(filters.applied.value, paging.sort.value) }) as Variables);
  const query = useQuery<Data, Variables>({ query: options.query, variables, requestPolicy: 'cache-and-network' });
  const connection = computed(() => (query.data.value ? (options.connection(query.data.value) ?? null) : null));
  const rows = computed<readonly Row[]>(() => connection.value?.nodes ?? []);

  const { applyFilters, resetFilters } = useFilterActions(filters, paging);
  function refresh() {
    void query.executeQuery({ requestPolicy: 'network-only' });
  }

  const search = { draft: filters.draft, onApply: applyFilters, onReset: resetFilters };
  const shell = computed(() => ({ rows: rows.value, loading: query.fetching.value, connection: connection.value, paging }));

  return { filters, paging, connection, rows, fetching: query.fetching, error: query.error, refresh, applyFilters, resetFilters, search, shell };
}
