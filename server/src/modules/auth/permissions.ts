/**
 * Permission codes. Roles are sets of these codes; seed 001 fixes 1014 and 1021. A role's scope decides
 * whether its codes apply to every merchant (GLOBAL, platform staff) or to the user's own merchant only.
 */
export const PERMISSIONS = {
  PAYIN_READ: 1001,
  PAYOUT_READ: 1002,
  PAYIN_WRITE: 1003,
  PAYOUT_WRITE: 1004,
  PAYOUT_REVIEW: 1005,
  ORDER_STATUS_OVERRIDE: 1006,
  ORDER_MARK_FRAUD: 1007,
  CALLBACK_RESEND: 1008,
  OPERATION_PAYMENT_WRITE: 1014,
  OPERATION_PAYMENT_GLOBAL_WRITE: 1021,
  BALANCE_READ: 2001,
  FUND_REQUEST_CREATE: 2002,
  FUND_REQUEST_REVIEW: 2003,
  STATEMENT_READ: 2004,
  LEDGER_READ: 2005,
  LEDGER_ADJUST: 2006,
  EXPORT_CREATE: 3001,
  EXPORT_READ: 3002,
  APP_READ: 4001,
  APP_WRITE: 4002,
  MERCHANT_INFO_READ: 4003,
  TEAM_READ: 4004,
  TEAM_WRITE: 4005,
  API_TOKEN_WRITE: 4006,
  MERCHANT_MANAGE: 5001,
  CATALOG_MANAGE: 5002,
  RISK_MANAGE: 5003,
  FX_MANAGE: 5004,
  USER_MANAGE: 5005,
  ROLE_MANAGE: 5006,
  AUDIT_READ: 5007,
  SETTINGS_MANAGE: 5008,
} as const;

export type PermissionName = keyof typeof PERMISSIONS;
export type PermissionCode = (typeof PERMISSIONS)[PermissionName];

const P = PERMISSIONS;
const ALL = Object.values(P) as PermissionCode[];

const MERCHANT_READ: PermissionCode[] = [
  P.PAYIN_READ, P.PAYOUT_READ, P.BALANCE_READ, P.STATEMENT_READ, P.LEDGER_READ, P.EXPORT_READ, P.APP_READ,
  P.MERCHANT_INFO_READ,
];

export interface BuiltInRole {
  key: 'ADMINISTRATOR' | 'FINANCE' | 'SUPPORT_AGENT' | 'MERCHANT_OWNER' | 'MERCHANT_OPERATOR' | 'MERCHANT_VIEWER';
  name: string;
  description: string;
  scope: 'GLOBAL' | 'MERCHANT';
  permissions: PermissionCode[];
}

/** The built-in roles of seed 004. */
export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    key: 'ADMINISTRATOR',
    name: 'Administrator',
    description: 'Full access: merchants, configuration, users and roles, audit log.',
    scope: 'GLOBAL',
    permissions: ALL,
  },
  {
    key: 'FINANCE',
    name: 'Finance',
    description: 'Processes fund requests and payout reviews; reads balances, statements and the ledger.',
    scope: 'GLOBAL',
    permissions: [...MERCHANT_READ, P.FUND_REQUEST_REVIEW, P.PAYOUT_REVIEW, P.LEDGER_ADJUST, P.EXPORT_CREATE, P.AUDIT_READ],
  },
  {
    key: 'SUPPORT_AGENT',
    name: 'Support Agent',
    description: 'Investigates transactions across merchants, resends callbacks, flags fraud.',
    scope: 'GLOBAL',
    permissions: [...MERCHANT_READ, P.PAYIN_WRITE, P.CALLBACK_RESEND, P.ORDER_MARK_FRAUD, P.EXPORT_CREATE, P.OPERATION_PAYMENT_GLOBAL_WRITE],
  },
  {
    key: 'MERCHANT_OWNER',
    name: 'Merchant Owner',
    description: "Everything on the owner's merchant: applications, keys, team, funds.",
    scope: 'MERCHANT',
    permissions: [
      ...MERCHANT_READ, P.PAYIN_WRITE, P.PAYOUT_WRITE, P.CALLBACK_RESEND, P.OPERATION_PAYMENT_WRITE, P.FUND_REQUEST_CREATE,
      P.EXPORT_CREATE, P.APP_WRITE, P.TEAM_READ, P.TEAM_WRITE, P.API_TOKEN_WRITE,
    ],
  },
  {
    key: 'MERCHANT_OPERATOR',
    name: 'Merchant Operator',
    description: "Works the merchant's transactions and reports; cannot manage the team or keys.",
    scope: 'MERCHANT',
    permissions: [...MERCHANT_READ, P.PAYIN_WRITE, P.PAYOUT_WRITE, P.CALLBACK_RESEND, P.OPERATION_PAYMENT_WRITE, P.EXPORT_CREATE, P.TEAM_READ],
  },
  {
    key: 'MERCHANT_VIEWER',
    name: 'Merchant Viewer',
    description: "Read-only access to the merchant's dashboard, transactions and reports.",
    scope: 'MERCHANT',
    permissions: MERCHANT_READ,
  },
];
