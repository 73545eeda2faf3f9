import { computed, ref, watch } from 'vue';
import { readStorage, writeStorage } from '@/utils/storage';

export interface ColumnChoice {
  key: string;
  /** Shown unless the user hid it. */
  defaultVisible: boolean;
  /** Always shown (identifying columns): not offered in the settings. */
  locked?: boolean;
}

/**
 * Which columns of a list are shown, remembered in this browser (`payrail.columns.<list>`). Only the
 * hidden/shown choice is stored, as the keys that differ from the defaults, so a column added later
 * appears with its default.
 */
export function useColumnSettings(list: string, columns: readonly ColumnChoice[]) {
  const storageKey = `payrail.columns.${list}`;

  function load(): Record<string, boolean> {
    try {
      const parsed = JSON.parse(readStorage(storageKey) ?? '{}') as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      const out: Record<string, boolean> = {};
      for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) if (typeof value === 'boolean') out[key] = value;
      return out;
    } catch {
      return {};
    }
  }

  const overrides = ref<Record<string, boolean>>(load());
  watch(overrides, (value) => writeStorage(storageKey, JSON.stringify(value)), { deep: true });

  const visible = computed(() => {
    const out = new Set<string>();
    for (const column of columns) if (column.locked || (overrides.value[column.key] ?? column.defaultVisible)) out.add(column.key);
    return out;
  });

  function setVisible(key: string, shown: boolean) {
    const column = columns.find((c) => c.key === key);
    if (!column || column.locked) return;
    const next = { ...overrides.value };
    if (shown === column.defaultVisible) delete next[key];
    else next[key] = shown;
    overrides.value = next;
  }

  function reset() {
    overrides.value = {};
  }

  const configurable = computed(() => columns.filter((c) => !c.locked));

  return { visible, setVisible, reset, configurable };
}
