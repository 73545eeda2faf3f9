import { reactive } from 'vue';
import { applyLocale, i18n, LOCALE_STORAGE_KEY, localeFromServer } from '@/locales';
import type { AppLocale } from '@/locales';
import { onSignedIn } from '@/store/session-store';
import { readStorage, writeStorage } from '@/utils/storage';

export type ThemeMode = 'light' | 'dark';

const THEME_STORAGE_KEY = 'payrail.theme';
const MERCHANT_STORAGE_KEY = 'payrail.merchant';
const CURRENCY_STORAGE_KEY = 'payrail.currency';

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

/** The merchant a staff member is looking at (null: every merchant). */
export interface MerchantScope {
  id: string;
  mchId: string;
  name: string;
}

function readMerchantScope(): MerchantScope | null {
  try {
    const parsed = JSON.parse(readStorage(MERCHANT_STORAGE_KEY) ?? 'null') as MerchantScope | null;
    return parsed && typeof parsed.id === 'string' && typeof parsed.name === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/** App-wide UI state. Change it through the functions below so choices are applied and remembered. */
export const appState = reactive({
  locale: i18n.global.locale.value as AppLocale,
  /** The language was picked in this browser (else the user's saved preference applies at sign-in). */
  localeChosen: readStorage(LOCALE_STORAGE_KEY) !== null,
  theme: resolveInitialTheme(),
  siderCollapsed: false,
  /** Staff: the merchant every page is narrowed to; null = all merchants. */
  merchant: readMerchantScope(),
  /** Merchant users: the currency account the home page and fund pages show (seed 000); null = all. */
  currency: readStorage(CURRENCY_STORAGE_KEY) || null,
});

applyLocale(appState.locale);
applyTheme(appState.theme);

export function setLocale(locale: AppLocale): void {
  appState.locale = locale;
  appState.localeChosen = true;
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

export function setMerchantScope(merchant: MerchantScope | null): void {
  appState.merchant = merchant;
  writeStorage(MERCHANT_STORAGE_KEY, merchant ? JSON.stringify(merchant) : '');
}

export function setAccountCurrency(currency: string | null): void {
  appState.currency = currency;
  writeStorage(CURRENCY_STORAGE_KEY, currency ?? '');
}

// A user who never picked a language here gets the one saved with their account.
onSignedIn((viewer) => {
  if (!viewer.global && appState.merchant) setMerchantScope(null);
  if (appState.localeChosen) return;
  const locale = localeFromServer(viewer.locale);
  if (locale && locale !== appState.locale) {
    appState.locale = locale;
    applyLocale(locale);
  }
});
