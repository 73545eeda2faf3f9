import { ref } from 'vue';
import type { Ref } from 'vue';

/**
 * What every filtered, keyset-paged list page does with its filter form: applying or resetting the
 * filters starts again at the first page.
 */
export function useFilterActions(filters: { apply(): Promise<unknown>; reset(): Promise<unknown> }, paging: { first(): Promise<unknown> }) {
  return {
    async applyFilters() {
      await filters.apply();
      await paging.first();
    },
    async resetFilters() {
      await filters.reset();
      await paging.first();
    },
  };
}

/** A create/edit drawer: open empty for a new row, or with the row to edit. */
export function useEditDrawer<Row>() {
  const open = ref(false);
  const editing = ref(null) as Ref<Row | null>;
  return {
    open,
    editing,
    openNew() {
      editing.value = null;
      open.value = true;
    },
    openEdit(row: Row) {
      editing.value = row;
      open.value = true;
    },
  };
}
