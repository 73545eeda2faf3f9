import { useI18n } from 'vue-i18n';
import type { I18nKey } from '@/locales';
import { humanizeCode } from '@/utils/codes';

/** A role as the SPA sees it: built-in roles carry their seed key (ADMINISTRATOR, …). */
interface RoleLike {
  key?: string | null;
  name: string;
  description?: string | null;
}

/**
 * Display names for what the server sends as codes or English only (messages in
 * `locales/areas/labels.ts`). Built-in roles are named by key; custom roles keep their own name. Unknown
 * currencies show their code (or the server's name when it has one); an entity type or audit action
 * this build has no label for is shown in words (utils/codes.ts), never as "auth.login".
 */
export function useLabels() {
  const { t, te } = useI18n();
  const known = (key: string): boolean => te(key);
  const text = (key: string): string => t(key as I18nKey);
  // Codes become message paths; only plain identifiers (dots for audit actions) are looked up.
  const safe = (code: string, dotted = false): boolean => (dotted ? /^[A-Za-z_]+(\.[A-Za-z_]+)*$/ : /^[A-Za-z_]+$/).test(code);

  function roleName(role: RoleLike): string {
    const key = role.key ? `labels.role.${role.key}.name` : '';
    return role.key && safe(role.key) && known(key) ? text(key) : role.name;
  }

  function roleDescription(role: RoleLike): string | null {
    const key = role.key ? `labels.role.${role.key}.description` : '';
    return role.key && safe(role.key) && known(key) ? text(key) : (role.description ?? null);
  }

  function currencyName(code: string, serverName?: string | null): string {
    const key = `labels.currency.${code}`;
    return safe(code) && known(key) ? text(key) : (serverName ?? code);
  }

  function entityLabel(entityType: string): string {
    const key = `labels.entity.${entityType}`;
    return safe(entityType) && known(key) ? text(key) : humanizeCode(entityType);
  }

  function actionLabel(action: string): string {
    const key = `labels.action.${action}`;
    return safe(action, true) && known(key) ? text(key) : humanizeCode(action);
  }

  return { roleName, roleDescription, currencyName, entityLabel, actionLabel };
}
