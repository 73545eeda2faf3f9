import type { TagProps } from 'naive-ui';
import type { I18nKey } from '@/locales';

/** How each platform health status (`Health.status`) reads and looks. */
export const HEALTH_STATUS_DISPLAY: Record<string, { i18nKey: I18nKey; tagType: TagProps['type'] }> = {
  ok: { i18nKey: 'system.status.healthStatus.ok', tagType: 'success' },
  degraded: { i18nKey: 'system.status.healthStatus.degraded', tagType: 'warning' },
};
