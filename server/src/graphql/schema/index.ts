import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.ts';
import '../scalars.ts';
import './system.schema.ts';
import './catalog.schema.ts';

export const schema = lexicographicSortSchema(builder.toSchema());
