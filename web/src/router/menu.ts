import type { Component } from 'vue';
import {
  ConfigIcon,
  StoreIcon,
  ToolIcon,
  TransactionsIcon,
  WalletIcon,
} from '@/components/icons/outline-icons';
import type { I18nKey } from '@/locales';
import { canAny } from '@/permissions/ability';
import type { AppAbility } from '@/permissions/ability';
import type { RouteRecordRaw } from 'vue-router';

/** Sider menu groups, in display order; a group without a visible entry is not shown at all. */
export const MENU_GROUPS = {
  transactions: { i18nKey: 'menu.transactions', icon: TransactionsIcon },
  finance: { i18nKey: 'menu.finance', icon: WalletIcon },
  merchant: { i18nKey: 'menu.merchant', icon: StoreIcon },
  operations: { i18nKey: 'menu.operations', icon: ToolIcon },
  configuration: { i18nKey: 'menu.configuration', icon: ConfigIcon },
} as const satisfies Record<string, { i18nKey: I18nKey; icon: Component }>;

export type MenuGroupKey = keyof typeof MENU_GROUPS;


/** One page the viewer may open, as the sider lists it. */
export interface MenuEntry {
  name: string;
  i18nKey: I18nKey;
  icon: Component;
  group?: MenuGroupKey;
}

/** The pages with a menu entry that `ability` allows, in route order. */
export function allowedMenuEntries(routes: readonly RouteRecordRaw[], ability: AppAbility): MenuEntry[] {
  const out: MenuEntry[] = [];
  const walk = (records: readonly RouteRecordRaw[]) => {
    for (const record of records) {
      const { menu, i18nKey, can } = record.meta ?? {};
      if (menu && i18nKey && typeof record.name === 'string' && canAny(ability, can)) {
        out.push({ name: record.name, i18nKey, icon: menu.icon, group: menu.group });
      }
      if (record.children) walk(record.children);
    }
  };
  walk(routes);
  return out;
}

/** Where "home" leads: the first page the viewer may open (the dashboard for most). */
export function homeRouteName(routes: readonly RouteRecordRaw[], ability: AppAbility): string {
  const entries = allowedMenuEntries(routes, ability);
  return (entries.find((entry) => entry.name !== 'settings' && entry.name !== 'status') ?? entries[0])?.name ?? 'settings';
}
