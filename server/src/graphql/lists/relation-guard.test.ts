import {
  graphql,
  GraphQLID,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { defineAbilityFor } from '../../modules/auth/ability.ts';
import { presentError } from '../errors.ts';
import { PERMISSIONS } from '../../modules/auth/permissions.ts';
import type { Viewer } from '../../modules/auth/viewer.ts';
import { guardRelations } from './relation-guard.ts';

/**
 * guardRelations on a hand-made schema whose resolvers hand out rows of another merchant on purpose:
 * whatever a relation's resolver returns, the viewer gets only what its ability reads. Rules decidable
 * on the row (or through the parent it was reached from) cost no query: the context's database throws.
 */

const A = '0190aaaa-0000-7000-8000-00000000000a';
const B = '0190bbbb-0000-7000-8000-00000000000b';
const merchants = { [A]: { id: A, name: 'Alpha' }, [B]: { id: B, name: 'Bravo' } };
const payinOfA = { id: 'o-a', merchantId: A };
const paymentsOfA = [{ id: 'p-1', orderId: 'o-a' }, { id: 'p-2', orderId: 'o-a' }];

const Merchant = new GraphQLObjectType({ name: 'Merchant', fields: { id: { type: new GraphQLNonNull(GraphQLID) }, name: { type: GraphQLString } } });
const Payment = new GraphQLObjectType({ name: 'Payment', fields: { id: { type: new GraphQLNonNull(GraphQLID) } } });
const Payin = new GraphQLObjectType({
  name: 'Payin',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    merchant: { type: Merchant, resolve: (o: typeof payinOfA) => merchants[o.merchantId as keyof typeof merchants] },
    wrongMerchant: { type: Merchant, resolve: () => merchants[B] },
    wrongMerchantRequired: { type: new GraphQLNonNull(Merchant), resolve: () => merchants[B] },
    everyMerchant: { type: new GraphQLList(new GraphQLNonNull(Merchant)), resolve: () => Object.values(merchants) },
    payments: { type: new GraphQLList(new GraphQLNonNull(Payment)), resolve: () => paymentsOfA },
  },
});
const Box = new GraphQLObjectType({ name: 'Box', fields: { merchant: { type: Merchant, resolve: () => merchants[B] } } });
const schema = guardRelations(
  new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        payin: { type: Payin, resolve: () => payinOfA },
        box: { type: Box, resolve: () => ({}) },
        rootMerchant: { type: Merchant, resolve: () => merchants[B] },
      },
    }),
  }),
);

function contextOf(viewer: Viewer) {
  const queries: string[] = [];
  const prisma = new Proxy({}, { get: (_t, model) => ({ findMany: () => { queries.push(String(model)); return Promise.resolve([]); } }) });
  const log = { error: () => undefined };
  return { ctx: { viewer, ability: defineAbilityFor(viewer), prisma, log } as never, queries };
}

const memberOfA: Viewer = {
  kind: 'user', userId: 'u-a', email: 'a@example.test', name: 'A', merchantId: A, global: false,
  permissions: new Set([PERMISSIONS.PAYIN_READ, PERMISSIONS.MERCHANT_INFO_READ]), mfaVerified: true, passwordChangeRequired: false, sessionId: 's',
};
const staff: Viewer = { ...memberOfA, merchantId: null, global: true };

describe('guardRelations', () => {
  it("drops or nulls another merchant's rows whatever the relation's resolver returns, without a query", async () => {
    const { ctx, queries } = contextOf(memberOfA);
    const res = await graphql({
      schema,
      contextValue: ctx,
      source: `{ payin { merchant { name } wrongMerchant { name } everyMerchant { name } payments { id } } box { merchant { name } } }`,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      payin: { merchant: { name: 'Alpha' }, wrongMerchant: null, everyMerchant: [{ name: 'Alpha' }], payments: [{ id: 'p-1' }, { id: 'p-2' }] },
      box: { merchant: null },
    });
    // Payments are decided through their parent order (`order: { is: { merchantId } }`): no SQL.
    expect(queries).toEqual([]);
  });

  it('fails a non-null relation to a row the viewer may not read with FORBIDDEN', async () => {
    const { ctx } = contextOf(memberOfA);
    const res = await graphql({ schema, contextValue: ctx, source: `{ payin { id wrongMerchantRequired { name } } }` });
    expect(res.data).toEqual({ payin: null });
    // As a client sees it: the error through the GraphQL presenter (yoga's maskError).
    const shown = res.errors?.[0] ? (presentError(res.errors[0], 'unexpected') as { extensions?: unknown }) : undefined;
    expect(shown?.extensions).toMatchObject({ code: 'FORBIDDEN', subject: 'Merchant' });
  });

  it('asks the database, batched, when a rule cannot be decided on the loaded row', async () => {
    const { ctx, queries } = contextOf(memberOfA);
    // Reached from Box (not the payment's order): `order: { is: … }` needs SQL; the stub finds nothing readable.
    const boxed = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: { box: { type: new GraphQLObjectType({ name: 'PaymentBox', fields: { payments: { type: new GraphQLList(Payment), resolve: () => paymentsOfA } } }), resolve: () => ({}) } },
      }),
    });
    const res = await graphql({ schema: guardRelations(boxed), contextValue: ctx, source: `{ box { payments { id } } }` });
    expect(res.data).toEqual({ box: { payments: [] } });
    expect(queries).toEqual(['payment']);
  });

  it('leaves root fields and staff alone', async () => {
    const member = await graphql({ schema, contextValue: contextOf(memberOfA).ctx, source: `{ rootMerchant { name } }` });
    expect(member.data).toEqual({ rootMerchant: { name: 'Bravo' } });
    const { ctx, queries } = contextOf(staff);
    const res = await graphql({ schema, contextValue: ctx, source: `{ payin { wrongMerchant { name } everyMerchant { name } } }` });
    expect(res.data).toEqual({ payin: { wrongMerchant: { name: 'Bravo' }, everyMerchant: [{ name: 'Alpha' }, { name: 'Bravo' }] } });
    expect(queries).toEqual([]);
  });
});
