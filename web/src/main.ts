import { abilitiesPlugin } from '@casl/vue';
import urql from '@urql/vue';
import { createApp } from 'vue';
import App from './App.vue';
import { clientRef, onAuthFailure } from './graphql/client';
import { i18n } from './locales';
import { ability } from './permissions/ability';
import { router } from './router';
import { loadSession, sessionExpired } from './store/session-store';

/**
 * An operation answered UNAUTHENTICATED (the session ended: idle timeout, logout elsewhere, password
 * change): forget the viewer and go to the login page, which brings the user back here. MFA_REQUIRED or
 * PASSWORD_CHANGE_REQUIRED: reload the viewer and let the login page ask for what is owed.
 */
onAuthFailure((failure) => {
  const current = router.currentRoute.value;
  if (current.meta.public) return;
  const toLogin = () => router.replace({ name: 'login', query: { redirect: current.fullPath } });
  if (failure === 'UNAUTHENTICATED') {
    sessionExpired();
    void toLogin();
  } else {
    void loadSession(true).then(toLogin, toLogin);
  }
});

createApp(App).use(i18n).use(router).use(urql, clientRef).use(abilitiesPlugin, ability).mount('#app');
