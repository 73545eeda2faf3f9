import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useMutation } from '@urql/vue';
import type { CombinedError } from '@urql/vue';
import { useDialog, useMessage } from 'naive-ui';
import { ref } from 'vue';
import type { Ref } from 'vue';
import { confirmAction } from '@/utils/confirm';

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

/**
 * Deleting a row of a list: ask first (a danger confirmation), run the delete mutation (its input is
 * the row's id), keep its failure for the page's alert, or say it is done and refresh the list.
 */
export function useRowDeletion<Row extends { id: string }>(opts: {
  mutation: TypedDocumentNode<unknown, { input: { id: string } }>;
  confirm: (row: Row) => { title: string; content: string; positiveText: string; negativeText: string };
  done: (row: Row) => string;
  refresh: () => void;
}) {
  const dialog = useDialog();
  const message = useMessage();
  const deletion = useMutation(opts.mutation);
  const error = ref<CombinedError | null>(null);
  async function remove(row: Row) {
    if (!(await confirmAction(dialog, { ...opts.confirm(row), danger: true }))) return;
    error.value = null;
    const result = await deletion.executeMutation({ input: { id: row.id } });
    if (result.error) {
      error.value = result.error;
      return;
    }
    message.success(opts.done(row));
    opts.refresh();
  }
  return { remove, error };
}
