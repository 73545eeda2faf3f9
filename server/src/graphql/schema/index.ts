import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.ts';
import '../scalars.ts';
import './system.schema.ts';
import './auth.schema.ts';
import './catalog.schema.ts';
import './enums.schema.ts';
import './channels.schema.ts';
import './merchants.schema.ts';
import './users.schema.ts';
import './orders.schema.ts';
import './payouts.schema.ts';
import './deliveries.schema.ts';
import './ledger.schema.ts';
import './funds.schema.ts';
import './exports.schema.ts';
import './audit.schema.ts';
import './risk.schema.ts';
import './limits.schema.ts';
import './dashboard.schema.ts';

import '../mutations/transactions.mutations.ts';
import '../mutations/exports.mutations.ts';
import '../mutations/funds.mutations.ts';
import '../subscriptions/live.subscriptions.ts';

export const schema = lexicographicSortSchema(builder.toSchema());
