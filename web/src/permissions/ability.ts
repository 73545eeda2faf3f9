import { PureAbility } from '@casl/ability';
import type { RawRuleOf } from '@casl/ability';
import { unpackRules } from '@casl/ability/extra';
import type { PackRule } from '@casl/ability/extra';

/**
 * The viewer's CASL ability in the browser, built from the packed rules `me { abilityRules }` sends.
 * The same rules decide every resolver on the server; here they only decide what the SPA shows
 * (menu entries, buttons). Rule conditions are Prisma `where` objects ("rows of my merchant"): the
 * server applies them to rows, the SPA never sees other merchants' rows, so here a rule counts
 * whatever its conditions (`can('update', 'Order')` asks "may I update some order").
 */

export type Action =
  | 'manage'
  | 'read'
  | 'readSensitive'
  | 'create'
  | 'update'
  | 'delete'
  | 'review'
  | 'resend'
  | 'simulate'
  | 'override'
  | 'markFraud'
  | 'adjust'
  | 'export';

export type Subject =
  | 'Order'
  | 'Payment'
  | 'OrderEvent'
  | 'Payout'
  | 'PayoutEvent'
  | 'Delivery'
  | 'DeliveryAttempt'
  | 'LedgerAccount'
  | 'LedgerEntry'
  | 'LedgerTransaction'
  | 'DailyStatement'
  | 'FundRequest'
  | 'MerchantDestination'
  | 'Export'
  | 'AuditLog'
  | 'Merchant'
  | 'App'
  | 'MerchantService'
  | 'Service'
  | 'Channel'
  | 'ChannelService'
  | 'User'
  | 'Role'
  | 'RiskRule'
  | 'FxRate'
  | 'ApiToken'
  | 'Setting'
  | 'Currency'
  | 'all';

export type AppAbility = PureAbility<[Action, Subject]>;

/** One permission check: `[action, subject]`. */
export type Permission = readonly [Action, Subject];

const anyConditions = () => () => true;

export function createAppAbility(): AppAbility {
  return new PureAbility<[Action, Subject]>([], { conditionsMatcher: anyConditions });
}

/** Replaces the ability's rules with the packed rules from `me.abilityRules` (anything else: none). */
export function updateAbility(ability: AppAbility, packed: unknown): void {
  const rules = Array.isArray(packed) ? unpackRules(packed as PackRule<RawRuleOf<AppAbility>>[]) : [];
  ability.update(rules);
}

/** True when any of the checks is allowed (an empty list: always). */
export function canAny(ability: AppAbility, checks: readonly Permission[] | undefined): boolean {
  if (!checks || checks.length === 0) return true;
  return checks.some(([action, subject]) => ability.can(action, subject));
}

/** The one ability of this page; @casl/vue makes it reactive (`useAbility()`). */
export const ability = createAppAbility();
