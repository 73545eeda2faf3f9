import { defineComponent, h } from 'vue';
import type { Component } from 'vue';

/**
 * Stroke icons for the menu and buttons (24×24, currentColor), drawn from path data so the shell
 * carries no icon library.
 */
function outlineIcon(name: string, paths: string[]): Component {
  return defineComponent({
    name,
    render: () =>
      h(
        'svg',
        {
          viewBox: '0 0 24 24',
          fill: 'none',
          stroke: 'currentColor',
          'stroke-width': 2,
          'stroke-linecap': 'round',
          'stroke-linejoin': 'round',
          'aria-hidden': 'true',
        },
        paths.map((d) => h('path', { d })),
      ),
  });
}

export const DashboardIcon = outlineIcon('DashboardIcon', ['M3 13h8V3H3z', 'M13 21h8V11h-8z', 'M3 21h8v-6H3z', 'M13 3v6h8V3z']);
export const TransactionsIcon = outlineIcon('TransactionsIcon', ['M7 4 3 8l4 4', 'M3 8h14', 'M17 20l4-4-4-4', 'M21 16H7']);
export const PayinIcon = outlineIcon('PayinIcon', ['M12 3v14', 'm6 11 6 6 6-6', 'M4 21h16']);
export const PayoutIcon = outlineIcon('PayoutIcon', ['M12 21V7', 'm6 13 6-6 6 6', 'M4 3h16']);
export const WalletIcon = outlineIcon('WalletIcon', ['M3 7h15a3 3 0 0 1 3 3v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z', 'M3 7V6a2 2 0 0 1 2-2h11', 'M16 14h.01']);
export const LedgerIcon = outlineIcon('LedgerIcon', ['M4 4h16v16H4z', 'M4 9h16', 'M9 9v11']);
export const ReviewIcon = outlineIcon('ReviewIcon', ['M9 11l3 3 8-8', 'M20 12v7a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h9']);
export const DownloadIcon = outlineIcon('DownloadIcon', ['M12 3v12', 'm7 10 5 5 5-5', 'M5 21h14']);
export const StoreIcon = outlineIcon('StoreIcon', ['M3 9l1.5-5h15L21 9', 'M3 9h18v2a3 3 0 0 1-6 0 3 3 0 0 1-6 0 3 3 0 0 1-6 0z', 'M5 13v8h14v-8']);
export const AppsIcon = outlineIcon('AppsIcon', ['M4 4h6v6H4z', 'M14 4h6v6h-6z', 'M4 14h6v6H4z', 'M14 14h6v6h-6z']);
export const TokenIcon = outlineIcon('TokenIcon', ['M8 8l-4 4 4 4', 'M16 8l4 4-4 4', 'M13.5 5l-3 14']);
export const InfoIcon = outlineIcon('InfoIcon', ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 8h.01', 'M11 12h1v4h1']);
export const ToolIcon = outlineIcon('ToolIcon', ['M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4z']);
export const PlusIcon = outlineIcon('PlusIcon', ['M12 5v14', 'M5 12h14']);
export const SearchIcon = outlineIcon('SearchIcon', ['M11 19a8 8 0 1 0 0-16 8 8 0 0 0 0 16z', 'm21 21-4.3-4.3']);
export const SettingsIcon = outlineIcon('SettingsIcon', [
  'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  'M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z',
]);
export const ConfigIcon = outlineIcon('ConfigIcon', ['M4 21v-7', 'M4 10V3', 'M12 21v-9', 'M12 8V3', 'M20 21v-5', 'M20 12V3', 'M1 14h6', 'M9 8h6', 'M17 16h6']);
export const MerchantsIcon = outlineIcon('MerchantsIcon', ['M3 21h18', 'M5 21V7l7-4 7 4v14', 'M9 21v-6h6v6']);
export const ServiceIcon = outlineIcon('ServiceIcon', ['M3 6h18', 'M3 12h18', 'M3 18h12']);
export const ChannelIcon = outlineIcon('ChannelIcon', ['M5 12h14', 'M12 5l7 7-7 7', 'M5 5v14']);
export const ShieldIcon = outlineIcon('ShieldIcon', ['M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z']);
export const CurrencyIcon = outlineIcon('CurrencyIcon', ['M12 2v20', 'M17 5H9.5a3.5 3.5 0 0 0 0 7h5a3.5 3.5 0 0 1 0 7H6']);
export const UsersIcon = outlineIcon('UsersIcon', ['M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2', 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M22 21v-2a4 4 0 0 0-3-3.9', 'M16 3.1a4 4 0 0 1 0 7.8']);
export const KeyIcon = outlineIcon('KeyIcon', ['M21 2l-2 2', 'M15.5 7.5l3 3L22 7l-3-3', 'M11.4 11.6a5.5 5.5 0 1 1-7.8 7.8 5.5 5.5 0 0 1 7.8-7.8z', 'M11.4 11.6 15.5 7.5']);
export const AuditIcon = outlineIcon('AuditIcon', ['M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z', 'M14 2v6h6', 'M8 13h8', 'M8 17h8']);
export const LogoutIcon = outlineIcon('LogoutIcon', ['M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4', 'M16 17l5-5-5-5', 'M21 12H9']);
export const UserIcon = outlineIcon('UserIcon', ['M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2', 'M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z']);
export const RefreshIcon = outlineIcon('RefreshIcon', ['M21 12a9 9 0 1 1-3-6.7L21 8', 'M21 3v5h-5']);
export const ColumnsIcon = outlineIcon('ColumnsIcon', ['M3 3h18v18H3z', 'M9 3v18', 'M15 3v18']);
export const AlertIcon = outlineIcon('AlertIcon', ['M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z', 'M12 9v4', 'M12 17h.01']);
export const FilterIcon = outlineIcon('FilterIcon', ['M22 3H2l8 9.5V19l4 2v-8.5z']);
