import type { Component } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import type { I18nKey } from '@/locales';
import type { Permission } from '@/permissions/ability';
import { ability, canAny } from '@/permissions/ability';
import { loadSession } from '@/store/session-store';
import { modeOfLink, setTestMode } from '@/store/test-mode';
import type { MenuGroupKey } from './menu';
import { routes } from './routes';

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title, also the menu label. */
    i18nKey?: I18nKey;
    /** Listed in the sider menu, with this icon, under this group. */
    menu?: { icon: Component; group?: MenuGroupKey };
    /** Shown and reachable when the ability allows any of these (none listed: every signed-in user). */
    can?: readonly Permission[];
    /** Reachable without signing in. */
    public?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
});

/** A link may name the book it shows (`?mode=test`): the app switches to it and the key leaves the URL. */
router.beforeEach((to) => {
  const link = modeOfLink(to.query, to.name === 'payins' || to.name === 'payouts');
  if (!link) return true;
  setTestMode(link.test);
  const query = { ...to.query };
  for (const key of link.keys) delete query[key];
  return { ...to, query, replace: true };
});

/**
 * Sign-in and permission gate. The first navigation asks the server who we are (`me`); anyone not
 * signed in (or still owing the second factor) goes to the login page, which brings them back to
 * where they were going. A page the ability does not allow shows the 403 page.
 */
router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  let status;
  try {
    status = await loadSession();
  } catch {
    // The server cannot be reached: let the page render its own error state.
    return true;
  }
  if (status !== 'ready') return { name: 'login', query: { redirect: to.fullPath } };
  if (!canAny(ability, to.meta.can)) return { name: 'forbidden', query: { from: to.fullPath } };
  return true;
});

/**
 * After a deploy, an open tab may ask for a page chunk whose hashed file is gone. Reload that target
 * once so the new index.html (and its chunk names) is loaded; a second failure is left to surface.
 */
const CHUNK_RELOAD_KEY = 'payrail.chunk-reload';
const CHUNK_LOAD_ERROR = /dynamically imported module|Importing a module script failed|Unable to preload CSS/i;

router.onError((error: unknown, to) => {
  if (!(error instanceof Error) || !CHUNK_LOAD_ERROR.test(error.message)) return;
  try {
    if (sessionStorage.getItem(CHUNK_RELOAD_KEY) === to.fullPath) return;
    sessionStorage.setItem(CHUNK_RELOAD_KEY, to.fullPath);
  } catch {
    return;
  }
  window.location.assign(to.fullPath);
});

router.afterEach((to, _from, failure) => {
  if (failure) return;
  try {
    if (sessionStorage.getItem(CHUNK_RELOAD_KEY) === to.fullPath) sessionStorage.removeItem(CHUNK_RELOAD_KEY);
  } catch {
    // Storage unavailable: nothing was recorded.
  }
});
