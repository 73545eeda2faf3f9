import { clientRef } from '@/graphql/client';
import { updateMyPreferencesMutation } from '@/graphql/session.graphql';
import { localeToServer } from '@/locales';
import type { AppLocale } from '@/locales';
import { setLocale } from '@/store/app-store';
import { applyViewer, session } from '@/store/session-store';

/**
 * The language picked in the header or the settings page: applied at once, remembered in this
 * browser, and saved with the account when signed in (so another browser starts in it too).
 */
export function chooseLocale(locale: AppLocale): void {
  setLocale(locale);
  if (session.status !== 'ready') return;
  void clientRef.value
    .mutation(updateMyPreferencesMutation, { input: { locale: localeToServer(locale) } })
    .toPromise()
    .then((result) => {
      const payload = result.data?.updateMyPreferences;
      if (payload?.__typename === 'Me') applyViewer(payload);
    });
}
