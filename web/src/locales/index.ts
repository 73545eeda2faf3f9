import { dateEnUS, dateZhCN, enUS as naiveEnUS, zhCN as naiveZhCN } from 'naive-ui';
import type { NDateLocale, NLocale } from 'naive-ui';
import { createI18n } from 'vue-i18n';
import { readStorage } from '@/utils/storage';
import enUS from './langs/en-us';
import type { LocaleSchema } from './langs/en-us';
import zhCN from './langs/zh-cn';

export type AppLocale = 'en-US' | 'zh-CN';

export const APP_LOCALES: readonly AppLocale[] = ['en-US', 'zh-CN'];

/** Each language named in itself, as a language picker shows it. */
export const LOCALE_LABELS: Record<AppLocale, string> = {
  'en-US': 'English',
  'zh-CN': '简体中文',
};

export const LOCALE_STORAGE_KEY = 'payrail.locale';

/** naive-ui's own strings (pickers, pagination, empty states) and date formats, per language. */
export const NAIVE_LOCALES: Record<AppLocale, { locale: NLocale; dateLocale: NDateLocale }> = {
  'en-US': { locale: naiveEnUS, dateLocale: dateEnUS },
  'zh-CN': { locale: naiveZhCN, dateLocale: dateZhCN },
};

/** Every message key as a dotted path, e.g. `'system.status.version'`. */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type I18nKey = Leaves<LocaleSchema>;

export function isAppLocale(value: unknown): value is AppLocale {
  return APP_LOCALES.includes(value as AppLocale);
}

/** The remembered choice, else the browser's first language we speak, else English. */
export function resolveInitialLocale(): AppLocale {
  const saved = readStorage(LOCALE_STORAGE_KEY);
  if (isAppLocale(saved)) return saved;
  for (const language of navigator.languages ?? [navigator.language]) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en-US';
  }
  return 'en-US';
}

export const i18n = createI18n<[LocaleSchema], AppLocale, false>({
  legacy: false,
  locale: resolveInitialLocale(),
  fallbackLocale: 'en-US',
  messages: { 'en-US': enUS, 'zh-CN': zhCN },
});

/** The account's saved language (`User.locale`: en, zh) as an app locale; null when unknown. */
export function localeFromServer(value: string | null | undefined): AppLocale | null {
  const lower = (value ?? '').toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en-US';
  return null;
}

/** An app locale as the account preference the server stores. */
export function localeToServer(locale: AppLocale): string {
  return locale === 'zh-CN' ? 'zh' : 'en';
}

/** Switches vue-i18n and the document language; persisting the choice is the app store's job. */
export function applyLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
}

declare module 'vue-i18n' {
  // Types `t()` keys against the English messages.
  export interface DefineLocaleMessage extends LocaleSchema {}
}
