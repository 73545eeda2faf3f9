import { computed, onBeforeUnmount, ref, shallowRef } from 'vue';
import type { Ref } from 'vue';

interface LiveRow {
  id: string;
  /** Increases with every status change: the newer of two copies of a row wins. */
  sequence: number;
}

/**
 * A server-paginated list kept current by pushed rows (payinChanged / payoutChanged):
 * - a pushed row that is on the page replaces it when it is newer (status changes without a reload);
 * - a row that is not on the page, while the page shows the newest rows, makes the page reload from
 *   the server (debounced), so a new order appears at the top exactly when it matches the filters;
 * - rows that changed or arrived are marked for a moment (`flashing`).
 */
export function useLiveRows<T extends LiveRow>(opts: { rows: Ref<readonly T[]>; onFirstPage: Ref<boolean>; refetch: () => void; debounceMs?: number }) {
  const overlay = shallowRef(new Map<string, T>());
  const flashing = ref(new Set<string>());
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let refetchTimer: ReturnType<typeof setTimeout> | undefined;

  function flash(id: string) {
    flashing.value = new Set(flashing.value).add(id);
    const timer = setTimeout(() => {
      timers.delete(timer);
      const next = new Set(flashing.value);
      next.delete(id);
      flashing.value = next;
    }, 2500);
    timers.add(timer);
  }

  function push(row: T) {
    const current = opts.rows.value.find((r) => r.id === row.id);
    if (current) {
      const known = overlay.value.get(row.id) ?? current;
      if (row.sequence < known.sequence) return;
      overlay.value = new Map(overlay.value).set(row.id, row);
      flash(row.id);
      return;
    }
    if (!opts.onFirstPage.value) return;
    flash(row.id);
    clearTimeout(refetchTimer);
    refetchTimer = setTimeout(() => opts.refetch(), opts.debounceMs ?? 400);
  }

  const merged = computed<T[]>(() =>
    opts.rows.value.map((row) => {
      const pushed = overlay.value.get(row.id);
      return pushed && pushed.sequence >= row.sequence ? pushed : row;
    }),
  );

  onBeforeUnmount(() => {
    clearTimeout(refetchTimer);
    for (const timer of timers) clearTimeout(timer);
  });

  return { merged, push, flashing };
}
