/**
 * English messages: the reference language. Its shape is the `LocaleSchema` type every other language
 * must match key for key. vue-i18n reserves `{ } @ $ |` inside messages.
 */
const enUS = {
  app: {
    name: 'Payrail',
    subtitle: 'Back office',
  },
  common: {
    retry: 'Retry',
    refresh: 'Refresh',
    backHome: 'Back to home',
  },
  header: {
    language: 'Language',
    switchToDark: 'Switch to dark theme',
    switchToLight: 'Switch to light theme',
  },
  route: {
    status: 'System status',
    notFound: 'Page not found',
  },
  system: {
    status: {
      platform: 'Platform',
      health: 'Health',
      database: 'Database',
      databaseUp: 'Connected',
      databaseDown: 'Unreachable',
      version: 'Version',
      healthStatus: {
        ok: 'Operational',
        degraded: 'Degraded',
      },
      currencies: 'Currencies',
      currencyCode: 'Code',
      currencyName: 'Name',
      currencyDigits: 'Minor unit digits',
      noCurrencies: 'No currencies are configured yet.',
      loadFailed: 'Could not load the system status',
      partialFailure: 'Part of the status could not be loaded: {message}',
    },
  },
  notFound: {
    description: 'The page {path} does not exist.',
  },
};

export type LocaleSchema = typeof enUS;

export default enUS;
