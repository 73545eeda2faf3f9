import { reactive } from 'vue';
import { applyLocale, i18n, LOCALE_STORAGE_KEY } from '@/locales';
import type { AppLocale } from '@/locales';
import { readStorage, writeStorage } from '@/utils/storage';

export type ThemeMode = 'light' | 'dark';

const THEME_STORAGE_KEY = 'payrail.theme';

function resolveInitialTheme(): ThemeMode {
  const saved = readStorage(THEME_STORAGE_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function applyTheme(theme: ThemeMode): void {
  // Native controls and scrollbars follow the theme too.
  document.documentElement.style.colorScheme = theme;
  document.documentElement.dataset.theme = theme;
}

/** App-wide UI state. Change it through the functions below so choices are applied and remembered. */
export const appState = reactive({
  locale: i18n.global.locale.value as AppLocale,
  theme: resolveInitialTheme(),
  siderCollapsed: false,
});

applyLocale(appState.locale);
applyTheme(appState.theme);

export function setLocale(locale: AppLocale): void {
  appState.locale = locale;
  applyLocale(locale);
  writeStorage(LOCALE_STORAGE_KEY, locale);
}

export function setTheme(theme: ThemeMode): void {
  appState.theme = theme;
  applyTheme(theme);
  writeStorage(THEME_STORAGE_KEY, theme);
}

export function toggleTheme(): void {
  setTheme(appState.theme === 'dark' ? 'light' : 'dark');
}

export function setSiderCollapsed(collapsed: boolean): void {
  appState.siderCollapsed = collapsed;
}
