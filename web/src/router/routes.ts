import type { RouteRecordRaw } from 'vue-router';
import PulseIcon from '@/components/icons/pulse-icon.vue';
import { DashboardIcon, SettingsIcon } from '@/components/icons/outline-icons';
import { AppsIcon, InfoIcon, LedgerIcon, PayinIcon, PayoutIcon, ReviewIcon, SearchIcon, TokenIcon, WalletIcon } from '@/components/icons/outline-icons';
import { DownloadIcon, PayinIcon as PayinsMenuIcon, PayoutIcon as PayoutsMenuIcon } from '@/components/icons/outline-icons';
import { AuditIcon, ChannelIcon, CurrencyIcon, KeyIcon, MerchantsIcon, ServiceIcon, ShieldIcon, UsersIcon } from '@/components/icons/outline-icons';
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
        path: 'transactions/payins',
        name: 'payins',
        component: () => import('@/views/transactions/payins/index.vue'),
        meta: { i18nKey: 'transactions.route.payins', menu: { icon: PayinsMenuIcon, group: 'transactions' }, can: [['read', 'Order']] },
      },
      {
        path: 'transactions/payouts',
        name: 'payouts',
        component: () => import('@/views/transactions/payouts/index.vue'),
        meta: { i18nKey: 'transactions.route.payouts', menu: { icon: PayoutsMenuIcon, group: 'transactions' }, can: [['read', 'Payout']] },
      },
      {
        path: 'downloads',
        name: 'downloads',
        component: () => import('@/views/downloads/index.vue'),
        meta: { i18nKey: 'downloads.title', menu: { icon: DownloadIcon, group: 'transactions' }, can: [['read', 'Export']] },
      },
      {
        path: 'finance/funds',
        name: 'finance-funds',
        component: () => import('@/views/finance/funds/index.vue'),
        meta: { i18nKey: 'finance.route.funds', menu: { icon: WalletIcon, group: 'finance' }, can: [['read', 'FundRequest'], ['read', 'LedgerAccount']] },
      },
      {
        path: 'finance/review',
        name: 'finance-review',
        component: () => import('@/views/finance/review/index.vue'),
        meta: { i18nKey: 'finance.route.review', menu: { icon: ReviewIcon, group: 'finance' }, can: [['review', 'FundRequest'], ['adjust', 'LedgerAccount']] },
      },
      {
        path: 'finance/statements',
        name: 'finance-statements',
        component: () => import('@/views/finance/statements/index.vue'),
        meta: { i18nKey: 'finance.route.statements', menu: { icon: LedgerIcon, group: 'finance' }, can: [['read', 'DailyStatement']] },
      },
      {
        path: 'merchant/info',
        name: 'merchant-info',
        component: () => import('@/views/merchant/info/index.vue'),
        meta: { i18nKey: 'merchant.route.info', menu: { icon: InfoIcon, group: 'merchant' }, can: [['read', 'MerchantService']] },
      },
      {
        path: 'merchant/apps',
        name: 'merchant-apps',
        component: () => import('@/views/merchant/apps/index.vue'),
        meta: { i18nKey: 'merchant.route.apps', menu: { icon: AppsIcon, group: 'merchant' }, can: [['read', 'App']] },
      },
      {
        // Members who manage tokens (API_TOKEN_WRITE) create, list and revoke them; staff who may read
        // them (MERCHANT_MANAGE) list and revoke them. Creating needs a member of the merchant.
        path: 'merchant/api-tokens',
        name: 'merchant-api-tokens',
        component: () => import('@/views/merchant/tokens/index.vue'),
        meta: { i18nKey: 'merchant.route.tokens', menu: { icon: TokenIcon, group: 'merchant' }, can: [['read', 'ApiToken']] },
      },
      {
        path: 'operations/create-payin',
        name: 'operations-create-payin',
        component: () => import('@/views/operations/create-payin/index.vue'),
        meta: { i18nKey: 'operations.route.createPayin', menu: { icon: PayinIcon, group: 'operations' }, can: [['create', 'Order']] },
      },
      {
        path: 'operations/create-payout',
        name: 'operations-create-payout',
        component: () => import('@/views/operations/create-payout/index.vue'),
        meta: { i18nKey: 'operations.route.createPayout', menu: { icon: PayoutIcon, group: 'operations' }, can: [['create', 'Payout']] },
      },
      {
        path: 'operations/order-query',
        name: 'operations-order-query',
        component: () => import('@/views/operations/order-query/index.vue'),
        meta: { i18nKey: 'operations.route.orderQuery', menu: { icon: SearchIcon, group: 'operations' }, can: [['read', 'Order'], ['read', 'Payout']] },
      },
      {
        path: 'config/merchants',
        name: 'config-merchants',
        component: () => import('@/views/config/merchants/index.vue'),
        meta: { i18nKey: 'config.route.merchants', menu: { icon: MerchantsIcon, group: 'configuration' }, can: [['update', 'Merchant']] },
      },
      {
        path: 'config/services',
        name: 'config-services',
        component: () => import('@/views/config/services/index.vue'),
        meta: { i18nKey: 'config.route.services', menu: { icon: ServiceIcon, group: 'configuration' }, can: [['update', 'Service']] },
      },
      {
        path: 'config/channels',
        name: 'config-channels',
        component: () => import('@/views/config/channels/index.vue'),
        meta: { i18nKey: 'config.route.channels', menu: { icon: ChannelIcon, group: 'configuration' }, can: [['update', 'Channel']] },
      },
      {
        path: 'config/risk-rules',
        name: 'config-risk-rules',
        component: () => import('@/views/config/risk-rules/index.vue'),
        meta: { i18nKey: 'config.route.riskRules', menu: { icon: ShieldIcon, group: 'configuration' }, can: [['update', 'RiskRule']] },
      },
      {
        path: 'config/fx-rates',
        name: 'config-fx-rates',
        component: () => import('@/views/config/fx-rates/index.vue'),
        meta: { i18nKey: 'config.route.fxRates', menu: { icon: CurrencyIcon, group: 'configuration' }, can: [['update', 'FxRate']] },
      },
      {
        path: 'config/users',
        name: 'config-users',
        component: () => import('@/views/config/users/index.vue'),
        meta: { i18nKey: 'config.route.users', menu: { icon: UsersIcon, group: 'configuration' }, can: [['update', 'User']] },
      },
      {
        path: 'config/roles',
        name: 'config-roles',
        component: () => import('@/views/config/roles/index.vue'),
        meta: { i18nKey: 'config.route.roles', menu: { icon: KeyIcon, group: 'configuration' }, can: [['update', 'Role']] },
      },
      {
        path: 'config/audit',
        name: 'config-audit',
        component: () => import('@/views/config/audit/index.vue'),
        meta: { i18nKey: 'config.route.audit', menu: { icon: AuditIcon, group: 'configuration' }, can: [['read', 'AuditLog']] },
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
