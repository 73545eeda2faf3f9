import { graphql } from '@/gql';

/**
 * Every operation of the configuration area (merchants, services, channels and their bindings,
 * merchant services, risk rules, FX rates, users and roles, audit log). Written as `graphql()`
 * documents so codegen types them and lists them in the production allow-list
 * (persisted-documents.json). Variables in alphabetical order: the allow-list compares documents in
 * one spelling.
 */

// ─────────────────────────────── fragments ───────────────────────────────

export const ConfigMerchantFieldsFragment = graphql(`
  fragment ConfigMerchantFields on Merchant {
    id
    mchId
    name
    status
    country
    timezone
    contactEmail
    createdAt
    updatedAt
  }
`);

export const ConfigMerchantServiceFieldsFragment = graphql(`
  fragment ConfigMerchantServiceFields on MerchantService {
    id
    status
    settlementDays
    feeRate
    feeFixed {
      ...MoneyFields
    }
    singleLimitLower {
      ...MoneyFields
    }
    singleLimitUpper {
      ...MoneyFields
    }
    updatedAt
    service {
      id
      code
      name
      direction
      kind
      currency {
        code
        digits
      }
    }
  }
`);

export const ConfigServiceFieldsFragment = graphql(`
  fragment ConfigServiceFields on Service {
    id
    code
    name
    direction
    kind
    country
    chain
    requiredFields
    status
    currency {
      code
      digits
      crypto
    }
  }
`);

export const ConfigBindingFieldsFragment = graphql(`
  fragment ConfigBindingFields on ChannelService {
    id
    status
    priority
    weight
    lowerBound {
      ...MoneyFields
    }
    upperBound {
      ...MoneyFields
    }
    service {
      id
      code
      name
      direction
      status
      currency {
        code
        digits
      }
    }
  }
`);

export const ConfigChannelFieldsFragment = graphql(`
  fragment ConfigChannelFields on Channel {
    id
    code
    name
    connector
    currencyCode
    currency {
      code
      digits
    }
    status
    priority
    weight
    settings
    hasCredentials
    credentialKeys
    paymentLowerBound {
      ...MoneyFields
    }
    paymentUpperBound {
      ...MoneyFields
    }
    balance {
      ...MoneyFields
    }
    updatedAt
    services {
      ...ConfigBindingFields
    }
  }
`);

/** A channel as its list row shows it (no credentials key names: those are decrypted per channel, in the drawer only). */
export const ConfigChannelRowFieldsFragment = graphql(`
  fragment ConfigChannelRowFields on Channel {
    id
    code
    name
    connector
    currencyCode
    status
    priority
    weight
    hasCredentials
    paymentLowerBound {
      ...MoneyFields
    }
    paymentUpperBound {
      ...MoneyFields
    }
    balance {
      ...MoneyFields
    }
    services {
      status
      service {
        code
      }
    }
  }
`);

export const ConfigRiskRuleFieldsFragment = graphql(`
  fragment ConfigRiskRuleFields on RiskRule {
    id
    name
    kind
    direction
    action
    status
    currencyCode
    threshold
    thresholdAmount {
      ...MoneyFields
    }
    value
    merchant {
      id
      mchId
      name
    }
    updatedAt
  }
`);

export const ConfigFxRateFieldsFragment = graphql(`
  fragment ConfigFxRateFields on FxRate {
    id
    base
    quote
    rate
    updatedAt
  }
`);

export const ConfigUserFieldsFragment = graphql(`
  fragment ConfigUserFields on User {
    id
    email
    name
    status
    totpEnabled
    lockedUntil
    lastLoginAt
    createdAt
    merchant {
      id
      mchId
      name
    }
    roles {
      id
      key
      name
      builtIn
    }
  }
`);

export const ConfigRoleFieldsFragment = graphql(`
  fragment ConfigRoleFields on Role {
    id
    key
    name
    description
    scope
    builtIn
    permissions
    userCount
    updatedAt
    merchant {
      id
      mchId
      name
    }
  }
`);

export const ConfigPageInfoFragment = graphql(`
  fragment ConfigPageInfo on PageInfo {
    hasNextPage
    hasPreviousPage
    startCursor
    endCursor
  }
`);

// ─────────────────────────────── merchants ───────────────────────────────

export const configMerchantsQuery = graphql(`
  query ConfigMerchants($after: String, $before: String, $filter: MerchantFilter, $first: Int, $last: Int, $sort: MerchantSort) {
    merchants(after: $after, before: $before, filter: $filter, first: $first, last: $last, sort: $sort) {
      totalCount
      pageInfo {
        ...ConfigPageInfo
      }
      nodes {
        ...ConfigMerchantFields
      }
    }
  }
`);

export const createMerchantMutation = graphql(`
  mutation ConfigCreateMerchant($input: CreateMerchantInput!) {
    createMerchant(input: $input) {
      ...ConfigMerchantFields
    }
  }
`);

export const updateMerchantMutation = graphql(`
  mutation ConfigUpdateMerchant($input: UpdateMerchantInput!) {
    updateMerchant(input: $input) {
      ...ConfigMerchantFields
    }
  }
`);

export const configMerchantServicesQuery = graphql(`
  query ConfigMerchantServices($merchantId: ID!) {
    merchantServices(first: 200, filter: { merchantIds: [$merchantId] }, sort: { field: CREATED_AT, direction: ASC }) {
      nodes {
        ...ConfigMerchantServiceFields
      }
    }
  }
`);

export const upsertMerchantServiceMutation = graphql(`
  mutation ConfigUpsertMerchantService($input: UpsertMerchantServiceInput!) {
    upsertMerchantService(input: $input) {
      ...ConfigMerchantServiceFields
    }
  }
`);

export const updateMerchantServiceMutation = graphql(`
  mutation ConfigUpdateMerchantService($input: UpdateMerchantServiceInput!) {
    updateMerchantService(input: $input) {
      ...ConfigMerchantServiceFields
    }
  }
`);

// ─────────────────────────────── services ───────────────────────────────

export const configServicesQuery = graphql(`
  query ConfigServices($after: String, $before: String, $filter: ServiceFilter, $first: Int, $last: Int, $sort: ServiceSort) {
    services(after: $after, before: $before, filter: $filter, first: $first, last: $last, sort: $sort) {
      totalCount
      pageInfo {
        ...ConfigPageInfo
      }
      nodes {
        ...ConfigServiceFields
      }
    }
  }
`);

/** Currencies and every service, for the forms' pickers. */
export const configCatalogQuery = graphql(`
  query ConfigCatalog {
    currencies {
      code
      name
      digits
      crypto
      status
    }
    services(first: 200, sort: { field: CODE, direction: ASC }) {
      nodes {
        ...ConfigServiceFields
      }
    }
  }
`);

export const createServiceMutation = graphql(`
  mutation ConfigCreateService($input: CreateServiceInput!) {
    createService(input: $input) {
      ...ConfigServiceFields
    }
  }
`);

export const updateServiceMutation = graphql(`
  mutation ConfigUpdateService($input: UpdateServiceInput!) {
    updateService(input: $input) {
      ...ConfigServiceFields
    }
  }
`);

// ─────────────────────────────── channels ───────────────────────────────

export const configChannelsQuery = graphql(`
  query ConfigChannels($after: String, $before: String, $filter: ChannelFilter, $first: Int, $last: Int, $sort: ChannelSort) {
    channels(after: $after, before: $before, filter: $filter, first: $first, last: $last, sort: $sort) {
      totalCount
      pageInfo {
        ...ConfigPageInfo
      }
      nodes {
        ...ConfigChannelRowFields
      }
    }
  }
`);

/** One channel with everything the drawer edits (stored credential key names included). */
export const configChannelQuery = graphql(`
  query ConfigChannel($id: ID!) {
    channels(first: 1, filter: { ids: [$id] }) {
      nodes {
        ...ConfigChannelFields
      }
    }
  }
`);

export const createChannelMutation = graphql(`
  mutation ConfigCreateChannel($input: CreateChannelInput!) {
    createChannel(input: $input) {
      ...ConfigChannelFields
    }
  }
`);

export const updateChannelMutation = graphql(`
  mutation ConfigUpdateChannel($input: UpdateChannelInput!) {
    updateChannel(input: $input) {
      ...ConfigChannelFields
    }
  }
`);

export const bindChannelServiceMutation = graphql(`
  mutation ConfigBindChannelService($input: BindChannelServiceInput!) {
    bindChannelService(input: $input) {
      ...ConfigBindingFields
      channel {
        ...ConfigChannelFields
      }
    }
  }
`);

export const updateChannelServiceMutation = graphql(`
  mutation ConfigUpdateChannelService($input: UpdateChannelServiceInput!) {
    updateChannelService(input: $input) {
      ...ConfigBindingFields
      channel {
        ...ConfigChannelFields
      }
    }
  }
`);

export const unbindChannelServiceMutation = graphql(`
  mutation ConfigUnbindChannelService($input: UnbindChannelServiceInput!) {
    unbindChannelService(input: $input) {
      unboundChannelServiceId
      channel {
        ...ConfigChannelFields
      }
    }
  }
`);

// ─────────────────────────────── risk rules ───────────────────────────────

export const configRiskRulesQuery = graphql(`
  query ConfigRiskRules($after: String, $before: String, $filter: RiskRuleFilter, $first: Int, $last: Int, $sort: RiskRuleSort) {
    riskRules(after: $after, before: $before, filter: $filter, first: $first, last: $last, sort: $sort) {
      totalCount
      pageInfo {
        ...ConfigPageInfo
      }
      nodes {
        ...ConfigRiskRuleFields
      }
    }
  }
`);

export const createRiskRuleMutation = graphql(`
  mutation ConfigCreateRiskRule($input: CreateRiskRuleInput!) {
    createRiskRule(input: $input) {
      ...ConfigRiskRuleFields
    }
  }
`);

export const updateRiskRuleMutation = graphql(`
  mutation ConfigUpdateRiskRule($input: UpdateRiskRuleInput!) {
    updateRiskRule(input: $input) {
      ...ConfigRiskRuleFields
    }
  }
`);

export const deleteRiskRuleMutation = graphql(`
  mutation ConfigDeleteRiskRule($input: DeleteRiskRuleInput!) {
    deleteRiskRule(input: $input) {
      deletedRiskRuleId
    }
  }
`);

// ─────────────────────────────── FX rates ───────────────────────────────

export const configFxRatesQuery = graphql(`
  query ConfigFxRates($after: String, $before: String, $filter: FxRateFilter, $first: Int, $last: Int, $sort: FxRateSort) {
    fxRates(after: $after, before: $before, filter: $filter, first: $first, last: $last, sort: $sort) {
      totalCount
      pageInfo {
        ...ConfigPageInfo
      }
      nodes {
        ...ConfigFxRateFields
      }
    }
  }
`);

export const setFxRateMutation = graphql(`
  mutation ConfigSetFxRate($input: SetFxRateInput!) {
    setFxRate(input: $input) {
      ...ConfigFxRateFields
    }
  }
`);

export const deleteFxRateMutation = graphql(`
  mutation ConfigDeleteFxRate($input: DeleteFxRateInput!) {
    deleteFxRate(input: $input) {
      deletedFxRateId
    }
  }
`);

// ─────────────────────────────── users and roles ───────────────────────────────

export const configUsersQuery = graphql(`
  query ConfigUsers($after: String, $before: String, $filter: UserFilter, $first: Int, $last: Int, $sort: UserSort) {
    users(after: $after, before: $before, filter: $filter, first: $first, last: $last, sort: $sort) {
      totalCount
      pageInfo {
        ...ConfigPageInfo
      }
      nodes {
        ...ConfigUserFields
      }
    }
  }
`);

/** Users for the audit log's actor picker. */
export const configUserOptionsQuery = graphql(`
  query ConfigUserOptions($search: String) {
    users(first: 20, filter: { search: $search }, sort: { field: EMAIL, direction: ASC }) {
      nodes {
        id
        email
        name
      }
    }
  }
`);

export const createUserMutation = graphql(`
  mutation ConfigCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      temporaryPassword
      user {
        ...ConfigUserFields
      }
    }
  }
`);

export const updateUserMutation = graphql(`
  mutation ConfigUpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      ...ConfigUserFields
    }
  }
`);

export const resetUserTotpMutation = graphql(`
  mutation ConfigResetUserTotp($input: UserIdInput!) {
    resetUserTotp(input: $input) {
      ...ConfigUserFields
    }
  }
`);

export const resetUserPasswordMutation = graphql(`
  mutation ConfigResetUserPassword($input: ResetUserPasswordInput!) {
    resetUserPassword(input: $input) {
      temporaryPassword
      user {
        ...ConfigUserFields
      }
    }
  }
`);

export const unlockUserMutation = graphql(`
  mutation ConfigUnlockUser($input: UserIdInput!) {
    unlockUser(input: $input) {
      ...ConfigUserFields
    }
  }
`);

export const configRolesQuery = graphql(`
  query ConfigRoles($after: String, $before: String, $filter: RoleFilter, $first: Int, $last: Int, $sort: RoleSort) {
    roles(after: $after, before: $before, filter: $filter, first: $first, last: $last, sort: $sort) {
      totalCount
      pageInfo {
        ...ConfigPageInfo
      }
      nodes {
        ...ConfigRoleFields
      }
    }
  }
`);

export const createRoleMutation = graphql(`
  mutation ConfigCreateRole($input: CreateRoleInput!) {
    createRole(input: $input) {
      ...ConfigRoleFields
    }
  }
`);

export const updateRoleMutation = graphql(`
  mutation ConfigUpdateRole($input: UpdateRoleInput!) {
    updateRole(input: $input) {
      ...ConfigRoleFields
    }
  }
`);

export const deleteRoleMutation = graphql(`
  mutation ConfigDeleteRole($input: DeleteRoleInput!) {
    deleteRole(input: $input) {
      deletedRoleId
    }
  }
`);

// ─────────────────────────────── audit log ───────────────────────────────

export const configAuditLogsQuery = graphql(`
  query ConfigAuditLogs($after: String, $before: String, $filter: AuditLogFilter, $first: Int, $last: Int) {
    auditLogs(after: $after, before: $before, filter: $filter, first: $first, last: $last, sort: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo {
        ...ConfigPageInfo
      }
      nodes {
        id
        createdAt
        action
        actorType
        actorId
        actorLabel
        ip
        entityType
        entityId
        before
        after
        merchant {
          id
          mchId
          name
        }
      }
    }
  }
`);
