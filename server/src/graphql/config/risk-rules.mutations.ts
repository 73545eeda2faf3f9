import { encodeGlobalID } from '@pothos/plugin-relay';
import { createRiskRule, deleteRiskRule, RISK_RULE_KINDS, updateRiskRule } from '../../modules/config/risk-admin.service.ts';
import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { DirectionEnum, EnableStatusEnum } from './catalog.schema.ts';
import { RiskActionEnum } from '../schema/enums.schema.ts';
import { RiskRuleRef } from './risk.schema.ts';

/** Risk rules (RISK_MANAGE). Parse → modules/config/risk-admin.service.ts → re-read. */

const idOf = (typename: string, field: string, raw: string | number) => parseIds(typename, field, [String(raw)])![0]!;

const RiskRuleKindEnum = builder.enumType('RiskRuleKind', {
  description:
    'AMOUNT_ABOVE and DAILY_VOLUME_ABOVE: threshold is an amount in the rule currency; DAILY_COUNT_ABOVE: a number of transactions; BLOCKED_ACCOUNT: `value` is the account.',
  values: RISK_RULE_KINDS,
});

const CreateRiskRuleInput = builder.inputType('CreateRiskRuleInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    merchantId: t.id({ description: 'Left out: the rule applies to every merchant.' }),
    direction: t.field({ type: DirectionEnum, required: true, description: 'PAYIN rules refuse (REJECT) or flag on the timeline (REVIEW); PAYOUT rules refuse or hold in REVIEW for finance.' }),
    kind: t.field({ type: RiskRuleKindEnum, required: true }),
    currency: t.string({ description: 'Required for amount rules.' }),
    threshold: t.field({ type: 'Decimal', description: 'Amount (decimal in the currency) or count (whole number).' }),
    value: t.string({ description: 'BLOCKED_ACCOUNT: the account number or address.' }),
    action: t.field({ type: RiskActionEnum, required: true }),
    status: t.field({ type: EnableStatusEnum, description: 'Default ENABLED.' }),
  }),
});

const UpdateRiskRuleInput = builder.inputType('UpdateRiskRuleInput', {
  description: 'Fields left out are unchanged; merchantId null = every merchant. A change of kind or currency needs the threshold again.',
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    merchantId: t.id(),
    direction: t.field({ type: DirectionEnum }),
    kind: t.field({ type: RiskRuleKindEnum }),
    currency: t.string(),
    threshold: t.field({ type: 'Decimal' }),
    value: t.string(),
    action: t.field({ type: RiskActionEnum }),
    status: t.field({ type: EnableStatusEnum }),
  }),
});

const DeleteRiskRuleInput = builder.inputType('DeleteRiskRuleInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const DeleteRiskRulePayload = builder.objectRef<{ deletedRiskRuleId: string }>('DeleteRiskRulePayload').implement({
  fields: (t) => ({ deletedRiskRuleId: t.exposeID('deletedRiskRuleId', { description: 'Node id of the rule that was deleted.' }) }),
});

builder.mutationField('createRiskRule', (t) =>
  t.prismaField({
    type: RiskRuleRef,
    description: 'Adds a risk rule. Errors: MERCHANT_NOT_FOUND, INVALID_PARAMETER (field), INVALID_AMOUNT, CURRENCY_NOT_SUPPORTED, FORBIDDEN.',
    args: { input: t.arg({ type: CreateRiskRuleInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const merchantId = input.merchantId == null ? null : idOf('Merchant', 'merchantId', input.merchantId);
      const rule = await createRiskRule(ctx, { ...input, merchantId });
      return ctx.prisma.riskRule.findUniqueOrThrow({ ...query, where: { id: rule.id } });
    },
  }),
);

builder.mutationField('updateRiskRule', (t) =>
  t.prismaField({
    type: RiskRuleRef,
    description: 'Changes a risk rule (disable it with status DISABLED). Errors: RISK_RULE_NOT_FOUND, MERCHANT_NOT_FOUND, INVALID_PARAMETER, INVALID_AMOUNT, CURRENCY_NOT_SUPPORTED, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateRiskRuleInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = idOf('RiskRule', 'id', input.id);
      const merchantId = input.merchantId === undefined ? undefined : input.merchantId === null ? null : idOf('Merchant', 'merchantId', input.merchantId);
      await updateRiskRule(ctx, { ...input, id, merchantId });
      return ctx.prisma.riskRule.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('deleteRiskRule', (t) =>
  t.field({
    type: DeleteRiskRulePayload,
    description: 'Deletes a risk rule. Errors: RISK_RULE_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: DeleteRiskRuleInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const id = idOf('RiskRule', 'id', input.id);
      const removed = await deleteRiskRule(ctx, id);
      return { deletedRiskRuleId: encodeGlobalID('RiskRule', removed.id) };
    },
  }),
);
