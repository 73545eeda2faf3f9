import type { Component } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import type { RouteRecordRaw } from 'vue-router';
import PulseIcon from '@/components/icons/pulse-icon.vue';
import BaseLayout from '@/layouts/base-layout.vue';
import type { I18nKey } from '@/locales';

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title, also the menu label. */
    i18nKey?: I18nKey;
    /** Listed in the sider menu, with this icon. */
    menu?: { icon: Component };
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    component: BaseLayout,
    redirect: { name: 'status' },
    children: [
      {
        path: 'status',
        name: 'status',
        component: () => import('@/views/system/status/index.vue'),
        meta: { i18nKey: 'route.status', menu: { icon: PulseIcon } },
      },
      {
        path: ':pathMatch(.*)+',
        name: 'not-found',
        component: () => import('@/views/builtin/not-found/index.vue'),
        meta: { i18nKey: 'route.notFound' },
      },
    ],
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
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
