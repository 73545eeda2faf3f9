import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getNamedType,
  isListType,
  isNonNullType,
  parse,
  print,
  type ASTVisitor,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
  type GraphQLOutputType,
  type SelectionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { describeProblem, dirtyProblem, findDirtyInput } from '../lib/text-hygiene.ts';
import { MAX_PAGE_SIZE } from './lists/connection.ts';

/**
 * Limits on what one GraphQL operation may ask for, and the production allow-list of the admin SPA's
 * operations. Depth is a validation rule (it depends on the document and schema only, so yoga's
 * validation cache keeps it sound); cost depends on the variables (page sizes) and the allow-list on
 * who asks, so both run per request.
 */
export interface HardeningOptions {
  maxDepth: number;
  maxCost: number;
  /** Parser token limit: bounds the work before validation even starts. */
  maxTokens: number;
  introspection: boolean;
  /** Normalised-document hashes the SPA may run; `null` lets any operation through. */
  allowList: ReadonlySet<string> | null;
}

function errorWith(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

type FragmentMap = Record<string, FragmentDefinitionNode>;

function fragmentsOf(context: ValidationContext): FragmentMap {
  const out: FragmentMap = {};
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) out[definition.name.value] = definition;
  }
  return out;
}

/** Deepest field nesting of a selection set, following fragment spreads (each fragment once per path). */
function depthOf(selectionSet: SelectionSetNode | undefined, fragments: FragmentMap, seen: ReadonlySet<string>): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth = selection.selectionSet ? 1 + depthOf(selection.selectionSet, fragments, seen) : 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, fragments, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || seen.has(name)) continue; // unknown or cyclic spreads are reported by the standard rules
      depth = depthOf(fragment.selectionSet, fragments, new Set([...seen, name]));
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = fragmentsOf(context);
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, fragments, new Set());
        if (depth > maxDepth) {
          context.reportError(errorWith('QUERY_TOO_DEEP', `Operation is ${depth} levels deep; the limit is ${maxDepth}.`));
        }
      },
    };
  };
}

/**
 * Input hygiene: a string literal with NUL or a lone surrogate (PostgreSQL cannot store the one, the
 * other is not Unicode) is a validation error, BAD_USER_INPUT, instead of reaching a resolver and failing
 * there as an internal error. (Lone surrogate escapes and a raw NUL are already syntax errors.)
 */
export const cleanStringLiteralsRule: ValidationRule = (context) => ({
  StringValue(node) {
    const problem = dirtyProblem(node.value);
    if (problem) context.reportError(new GraphQLError(`String literal ${describeProblem(problem)}.`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
  },
});

/** The same for variables (values and keys, any depth): BAD_USER_INPUT naming the variable path, e.g. `$filter.search`. */
export function dirtyVariablesError(variables: Record<string, unknown> | null | undefined): GraphQLError | null {
  if (!variables) return null;
  const dirty = findDirtyInput(variables);
  if (!dirty) return null;
  const field = `$${dirty.field}`;
  return new GraphQLError(`Variable ${field} ${describeProblem(dirty.problem)}.`, { extensions: { code: 'BAD_USER_INPUT', field } });
}

function isListOutput(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** Rows assumed for a list without `first`/`last` (payments of an order, roles of a user, currencies). */
const UNPAGED_LIST_ROWS = 10;

/**
 * Estimated cost of one operation: every field costs 1, and whatever is selected under a list or a
 * paginated field is paid once per row it can return — its `first`/`last` (a literal, or the
 * variable's value; the largest page when absent from the request), UNPAGED_LIST_ROWS for other lists.
 * Computed per request (variables are known then), so a page of 20 costs a tenth of a page of 200.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables: Record<string, unknown> = {},
): number {
  const fragments: FragmentMap = {};
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  if (!operation) return 0;

  const pageSize = (value: ValueNode): number => {
    let raw: unknown = MAX_PAGE_SIZE;
    if (value.kind === Kind.INT) raw = Number.parseInt(value.value, 10);
    else if (value.kind === Kind.VARIABLE) {
      const given = variables[value.name.value];
      const fallback = operation!.variableDefinitions?.find((v) => v.variable.name.value === value.name.value)?.defaultValue;
      raw = typeof given === 'number' ? given : fallback?.kind === Kind.INT ? Number.parseInt(fallback.value, 10) : MAX_PAGE_SIZE;
    }
    return Math.max(1, Math.min(MAX_PAGE_SIZE, typeof raw === 'number' && Number.isFinite(raw) ? raw : MAX_PAGE_SIZE));
  };

  const rowsOf = (selection: FieldNode, returnsList: boolean, parentTypeName: string): number => {
    const pageArg = selection.arguments?.find((arg) => arg.name.value === 'first' || arg.name.value === 'last');
    if (pageArg) return pageSize(pageArg.value);
    // A connection's rows were paid for by the paginated field that returned it.
    if (parentTypeName.endsWith('Connection')) return 1;
    return returnsList ? UNPAGED_LIST_ROWS : 1;
  };

  const costOf = (selectionSet: SelectionSetNode | undefined, parentTypeName: string, seen: ReadonlySet<string>): number => {
    if (!selectionSet) return 0;
    const parent = schema.getType(parentTypeName);
    const fieldsOf = parent && 'getFields' in parent ? (parent.getFields() as Record<string, { type: GraphQLOutputType }>) : {};
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const field = fieldsOf[selection.name.value];
        if (!field) continue; // unknown fields are reported by validation
        const rows = selection.selectionSet ? rowsOf(selection, isListOutput(field.type), parentTypeName) : 1;
        total += 1 + rows * costOf(selection.selectionSet, getNamedType(field.type).name, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(selection.selectionSet, selection.typeCondition?.name.value ?? parentTypeName, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || seen.has(name)) continue;
        total += costOf(fragment.selectionSet, fragment.typeCondition.name.value, new Set([...seen, name]));
      }
    }
    return total;
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return root ? costOf(operation.selectionSet, root.name, new Set()) : 0;
}

export function costError(cost: number, maxCost: number): GraphQLError {
  return errorWith('QUERY_TOO_COSTLY', `Operation costs an estimated ${cost}; the limit is ${maxCost}. Ask for smaller pages or fewer fields.`);
}

function sortByName<T>(items: readonly T[], name: (item: T) => string): T[] {
  return [...items].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

/** Selections (and each field's arguments) in one order, `__typename` left out. */
function sortSelections(selectionSet: SelectionSetNode): SelectionSetNode {
  const key = (selection: SelectionNode): string => {
    if (selection.kind === Kind.FIELD) return `0${selection.alias?.value ?? ''}:${selection.name.value}`;
    if (selection.kind === Kind.FRAGMENT_SPREAD) return `1${selection.name.value}`;
    return `2${selection.typeCondition?.name.value ?? ''}:${print(selection)}`;
  };
  const selections = selectionSet.selections
    .filter((selection) => !(selection.kind === Kind.FIELD && selection.name.value === '__typename'))
    .map((selection) => (selection.kind === Kind.FIELD && selection.arguments?.length ? { ...selection, arguments: sortByName(selection.arguments, (a) => a.name.value) } : selection))
    .map((selection) => ('selectionSet' in selection && selection.selectionSet ? { ...selection, selectionSet: sortSelections(selection.selectionSet) } : selection))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { ...selectionSet, selections };
}

/**
 * One spelling per operation: `__typename` (which clients add for their caches) removed, selections
 * and definitions sorted, printed without layout. Two documents with the same normal form ask for the
 * same data.
 */
export function normalizedOperation(document: DocumentNode): string {
  const definitions = document.definitions
    .map((definition): DefinitionNode => {
      if (!('selectionSet' in definition) || !definition.selectionSet) return definition;
      const sorted = { ...definition, selectionSet: sortSelections(definition.selectionSet) };
      return definition.kind === Kind.OPERATION_DEFINITION && definition.variableDefinitions
        ? { ...sorted, variableDefinitions: sortByName(definition.variableDefinitions, (v) => v.variable.name.value) }
        : sorted;
    })
    .map((definition) => print(definition).replace(/\s+/g, ' ').trim())
    .sort();
  return definitions.join(' ');
}

export function operationHash(document: DocumentNode): string {
  return createHash('sha256').update(normalizedOperation(document)).digest('hex');
}

/** The allow-list from codegen's persisted documents (`web/src/gql/persisted-documents.json`). */
export function loadAllowList(file: string): Set<string> {
  const documents = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return new Set(Object.values(documents).map((source) => operationHash(parse(source))));
}

/** Merchants' servers (API tokens) may send any operation; sessions only the SPA's. */
function usesApiToken(headers: { get(name: string): string | null } | Record<string, unknown> | undefined): boolean {
  if (!headers) return false;
  const value = typeof headers.get === 'function' ? (headers as { get(name: string): string | null }).get('authorization') : (headers as Record<string, unknown>).authorization;
  return typeof value === 'string' && /^Bearer\s+\S+/i.test(value);
}

export class OperationNotAllowedError extends GraphQLError {
  constructor() {
    super('This operation is not one of the admin app\'s operations. Use an API token for other operations.', {
      extensions: { code: 'OPERATION_NOT_ALLOWED' },
    });
  }
}

/** Whether a request may run `query`: always with an API token or no allow-list, else only allow-listed documents. */
export function operationAllowed(
  allowList: ReadonlySet<string> | null,
  headers: Parameters<typeof usesApiToken>[0],
  query: string | DocumentNode | undefined,
  maxTokens: number,
): boolean {
  if (!allowList || usesApiToken(headers)) return true;
  if (query === undefined) return false;
  if (typeof query !== 'string') return allowList.has(operationHash(query));
  let hash = recentHashes.get(query);
  if (hash === undefined) {
    try {
      hash = operationHash(parse(query, { maxTokens }));
    } catch {
      return true; // a syntax error or too many tokens: the parser reports it properly
    }
    if (recentHashes.size >= 1000) recentHashes.delete(recentHashes.keys().next().value as string);
    recentHashes.set(query, hash);
  }
  return allowList.has(hash);
}

/** Query text → normal-form hash, for the few hundred distinct documents a deployment sees. */
const recentHashes = new Map<string, string>();

export function hardeningPlugin(options: HardeningOptions): Plugin {
  const rules = [depthLimitRule(options.maxDepth), cleanStringLiteralsRule];
  const refusedBeforeExecution = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Record<string, unknown> | null }) => {
    const dirty = dirtyVariablesError(args.variableValues);
    if (dirty) return dirty;
    const cost = operationCost(args.schema, args.document, args.operationName, args.variableValues ?? {});
    return cost > options.maxCost ? costError(cost, options.maxCost) : null;
  };
  if (!options.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return {
    onParams({ params, request, setResult }) {
      if (!operationAllowed(options.allowList, request.headers, params.query, options.maxTokens)) {
        setResult({ errors: [new OperationNotAllowedError()] });
      }
    },
    onParse({ setParseFn }) {
      setParseFn((source, parseOptions) => parse(source, { ...parseOptions, maxTokens: options.maxTokens }));
    },
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const error = refusedBeforeExecution(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = refusedBeforeExecution(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
