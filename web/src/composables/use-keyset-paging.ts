import { computed } from 'vue';
import { useUrlFilters } from '@/composables/use-url-filters';
import type { SortDirection } from '@/gql/graphql';

export const PAGE_SIZES = [10, 20, 50, 100] as const;
const DEFAULT_SIZE = '20';

export interface PageInfoLike {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
}

/**
 * Server-side keyset (Relay) paging kept in the URL: `after` / `before` cursors, the page size, the
 * page number (for "page 3 of 12" only: the cursor decides the rows) and the sort (`FIELD:DIRECTION`).
 * `variables` is what a connection field takes: `first`+`after` forwards, `last`+`before` backwards.
 */
export function useKeysetPaging(defaultSort: string) {
  const state = useUrlFilters({ after: '', before: '', size: DEFAULT_SIZE, page: '1', sort: defaultSort });

  const size = computed(() => {
    const parsed = Number.parseInt(state.applied.value.size as string, 10);
    return (PAGE_SIZES as readonly number[]).includes(parsed) ? parsed : Number.parseInt(DEFAULT_SIZE, 10);
  });
  const page = computed(() => Math.max(1, Number.parseInt(state.applied.value.page as string, 10) || 1));
  const after = computed(() => (state.applied.value.after as string) || null);
  const before = computed(() => (state.applied.value.before as string) || null);
  /** On the newest rows (no cursor): where live inserts show up. */
  const onFirstPage = computed(() => !after.value && !before.value);

  const sort = computed(() => {
    const [field = '', text = 'DESC'] = String(state.applied.value.sort || defaultSort).split(':');
    const direction: SortDirection = text === 'ASC' ? 'ASC' : 'DESC';
    return { field, direction };
  });

  const variables = computed(() =>
    before.value ? { last: size.value, before: before.value, first: null, after: null } : { first: size.value, after: after.value, last: null, before: null },
  );

  function first() {
    return state.apply({ after: '', before: '', page: '1' });
  }
  function next(pageInfo: PageInfoLike | null | undefined) {
    if (!pageInfo?.endCursor) return;
    return state.apply({ after: pageInfo.endCursor, before: '', page: String(page.value + 1) });
  }
  function previous(pageInfo: PageInfoLike | null | undefined) {
    if (page.value <= 2 || !pageInfo?.startCursor) return first();
    return state.apply({ after: '', before: pageInfo.startCursor, page: String(page.value - 1) });
  }
  function setSize(value: number) {
    return state.apply({ size: String(value), after: '', before: '', page: '1' });
  }
  function setSort(field: string | null, direction: SortDirection = 'DESC') {
    return state.apply({ sort: field ? `${field}:${direction}` : defaultSort, after: '', before: '', page: '1' });
  }

  return { size, page, after, before, onFirstPage, sort, variables, first, next, previous, setSize, setSort };
}
