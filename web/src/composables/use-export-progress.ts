import { useSubscription } from '@urql/vue';
import { NButton, NFlex, useNotification } from 'naive-ui';
import { computed, h, reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import { RouterLink } from 'vue-router';
import { graphql } from '@/gql';
import type { ExportRowFieldsFragment } from '@/gql/graphql';
import { ability } from '@/permissions/ability';
import { session } from '@/store/session-store';

/**
 * Progress of the viewer's own exports (download center, seed 000), pushed by the server through the
 * `exportProgress` subscription while the export job runs.
 *
 * - `exportUpdates` holds the newest state of every export seen here, for the download center's rows
 *   and progress bars (one store, however many components subscribe).
 * - With `notify`, an export that becomes ready (or fails) is announced once, wherever the user is,
 *   with a link to the file and to the download center. The layout uses it that way.
 */

export const exportProgressSubscription = graphql(`
  subscription ExportProgress {
    exportProgress {
      ...ExportRowFields
    }
  }
`);

export const exportUpdates = reactive(new Map<string, ExportRowFieldsFragment>());
const announced = new Set<string>();

/** The raw uuid inside a Relay global id (`base64("Export:<uuid>")`); the id itself when it is raw already. */
export function rawIdOf(globalId: string): string {
  if (/^[0-9a-f-]{36}$/i.test(globalId)) return globalId;
  try {
    const decoded = atob(globalId);
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : globalId;
  } catch {
    return globalId;
  }
}

/** The file of a finished export (same session cookie as GraphQL). */
export function exportDownloadUrl(exportId: string): string {
  return `/api/exports/${encodeURIComponent(rawIdOf(exportId))}/download`;
}

export function useExportProgress(opts: { notify?: boolean } = {}) {
  const { t } = useI18n();
  const notification = opts.notify ? useNotification() : null;

  const allowed = computed(() => {
    void session.viewer;
    return session.status === 'ready' && ability.can('read', 'Export');
  });

  function announce(row: ExportRowFieldsFragment) {
    if (!notification || announced.has(row.id)) return;
    if (row.status !== 'DONE' && row.status !== 'FAILED') return;
    announced.add(row.id);
    const kind = row.kind === 'PAYOUTS' ? t('downloads.kinds.PAYOUTS') : t('downloads.kinds.PAYINS');
    // Following a link of the notice closes it.
    let notice: { destroy: () => void } | null = null;
    const close = () => notice?.destroy();
    const centerLink = () =>
      h(RouterLink, { to: { name: 'downloads' }, onClick: close, 'data-testid': 'export-notice-center' }, { default: () => t('downloads.openCenter') });
    if (row.status === 'DONE') {
      notice = notification.success({
        title: t('downloads.readyTitle'),
        content: t('downloads.readyBody', { kind, rows: row.processedRows }, row.processedRows),
        duration: 10_000,
        keepAliveOnHover: true,
        action: () =>
          h(NFlex, { size: 12, align: 'center' }, () => [
            centerLink(),
            h(NButton, { size: 'small', type: 'primary', tag: 'a', href: exportDownloadUrl(row.id), onClick: close, 'data-testid': 'export-notice-download' }, () => t('downloads.download')),
          ]),
      });
    } else {
      notice = notification.error({
        title: t('downloads.failedTitle'),
        content: row.error ?? t('downloads.failedBody', { kind }),
        duration: 10_000,
        keepAliveOnHover: true,
        action: centerLink,
      });
    }
  }

  const subscription = useSubscription(
    { query: exportProgressSubscription, pause: computed(() => !allowed.value) },
    (_previous: unknown, data) => {
      const row = data.exportProgress;
      if (row) {
        exportUpdates.set(row.id, row);
        announce(row);
      }
      return data;
    },
  );

  /** The subscription is open (the download center shows a live mark). */
  const live = computed(() => subscription.fetching.value && !subscription.error.value);
  return { live, error: subscription.error };
}
