import { computed, reactive, watch } from 'vue';
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { useRoute, useRouter } from 'vue-router';

/** A filter field's type is its default's: text, a list of texts, or a yes/no/any flag. */
export type FilterValue = string | string[] | boolean | null;
export type FilterShape = Record<string, FilterValue>;

function readOne(query: LocationQuery, key: string, fallback: FilterValue): FilterValue {
  const raw = query[key];
  if (raw === undefined) return Array.isArray(fallback) ? [...fallback] : fallback;
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  if (Array.isArray(fallback)) return values.flatMap((v) => v.split(',')).filter(Boolean);
  if (typeof fallback === 'boolean' || fallback === null) {
    if (values[0] === '1' || values[0] === 'true') return true;
    if (values[0] === '0' || values[0] === 'false') return false;
    return fallback;
  }
  return values[0] ?? fallback;
}

function same(a: FilterValue, b: FilterValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

function clone<T extends FilterShape>(value: T): T {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])) as T;
}

/**
 * Filters kept in the URL query (seed 002 lists: a filtered list is a link one can share or reload).
 * `applied` is what the URL says now (what the list shows); `draft` is the form being edited;
 * `apply()` writes the draft to the URL (values equal to their defaults are left out), `reset()`
 * goes back to the defaults. Other query keys (e.g. `open`) are kept.
 */
export function useUrlFilters<T extends FilterShape>(defaults: T) {
  const route = useRoute();
  const router = useRouter();
  const keys = Object.keys(defaults) as (keyof T & string)[];

  const applied = computed<T>(() => {
    const out = {} as T;
    for (const key of keys) (out as FilterShape)[key] = readOne(route.query, key, defaults[key] as FilterValue);
    return out;
  });

  const draft = reactive(clone(applied.value)) as T;
  watch(applied, (value) => Object.assign(draft, clone(value)));

  function toQuery(values: T): LocationQueryRaw {
    const query: LocationQueryRaw = {};
    for (const [key, value] of Object.entries(route.query)) if (!keys.includes(key)) query[key] = value;
    for (const key of keys) {
      const value = values[key] as FilterValue;
      if (same(value, defaults[key] as FilterValue)) continue;
      if (Array.isArray(value)) {
        if (value.length) query[key] = value.join(',');
      } else if (typeof value === 'boolean') query[key] = value ? '1' : '0';
      else if (value !== null && value !== '') query[key] = value;
    }
    return query;
  }

  function apply(patch: Partial<T> = {}) {
    Object.assign(draft, patch);
    return router.replace({ query: toQuery(draft) });
  }

  function reset() {
    Object.assign(draft, clone(defaults));
    return router.replace({ query: toQuery(draft) });
  }

  /** Number of fields that differ from their defaults (for a "3 filters" badge). */
  const activeCount = computed(() => keys.filter((key) => !same(applied.value[key] as FilterValue, defaults[key] as FilterValue)).length);

  return { applied, draft, apply, reset, activeCount };
}
