import type { RouteRecordRaw } from 'vue-router';
import PulseIcon from '@/components/icons/pulse-icon.vue';
import { DashboardIcon, SettingsIcon } from '@/components/icons/outline-icons';
import BaseLayout from '@/layouts/base-layout.vue';

/**
 * Every page, lazily loaded (each is its own chunk). `meta.can` lists the [action, subject] pairs
 * of which one must be allowed; the menu shows exactly the pages the viewer may open, in this order.
 */
export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/login/index.vue'),
    meta: { i18nKey: 'route.login', public: true },
  },
  {
    path: '/',
    component: BaseLayout,
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('@/views/builtin/home/index.vue'),
      },
      {
        path: 'dashboard',
        name: 'dashboard',
        component: () => import('@/views/dashboard/index.vue'),
        meta: {
          i18nKey: 'route.dashboard',
          menu: { icon: DashboardIcon },
          can: [['read', 'Order'], ['read', 'Payout'], ['read', 'LedgerAccount']],
        },
      },
      {
        path: 'settings',
        name: 'settings',
        component: () => import('@/views/settings/index.vue'),
        meta: { i18nKey: 'route.settings', menu: { icon: SettingsIcon } },
      },
      {
        path: 'status',
        name: 'status',
        component: () => import('@/views/system/status/index.vue'),
        meta: { i18nKey: 'route.status', menu: { icon: PulseIcon } },
      },
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('@/views/builtin/forbidden/index.vue'),
        meta: { i18nKey: 'route.forbidden' },
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
