import { graphql } from '@/gql';

/** Merchant center (seed 000): merchant information and applications with their keys. */

export const merchantInfoQuery = graphql(`
  query MerchantCenterInfo($ids: [ID!]) {
    merchants(first: 1, filter: { ids: $ids }) {
      nodes {
        id
        mchId
        name
        timezone
        country
        status
        contactEmail
        createdAt
        services {
          id
          status
          feeRate
          settlementDays
          feeFixed {
            ...MoneyFields
          }
          singleLimitLower {
            ...MoneyFields
          }
          singleLimitUpper {
            ...MoneyFields
          }
          service {
            id
            code
            name
            direction
            kind
            country
            chain
            status
            currency {
              code
            }
          }
        }
      }
    }
  }
`);

export const AppListFieldsFragment = graphql(`
  fragment MerchantCenterAppListFields on App {
    id
    appId
    name
    status
    test
    createdAt
    payinNotifyUrl
    payoutNotifyUrl
    ipWhitelist
    merchant {
      id
      name
      mchId
    }
  }
`);

export const appsQuery = graphql(`
  query MerchantCenterApps($after: String, $before: String, $filter: AppFilter, $first: Int, $last: Int) {
    apps(filter: $filter, first: $first, last: $last, after: $after, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        ...MerchantCenterAppListFields
      }
    }
  }
`);

export const AppDetailFieldsFragment = graphql(`
  fragment MerchantCenterAppDetailFields on App {
    ...MerchantCenterAppListFields
    updatedAt
    merchantKeys {
      id
      serial
      status
      publicKeyPem
      createdAt
      revokedAt
    }
    platformKeys {
      id
      serial
      status
      publicKeyPem
      createdAt
      effectiveAt
      expiresAt
    }
  }
`);

export const appDetailQuery = graphql(`
  query MerchantCenterAppDetail($ids: [ID!]) {
    apps(first: 1, filter: { ids: $ids }) {
      nodes {
        ...MerchantCenterAppDetailFields
      }
    }
  }
`);

export const createAppMutation = graphql(`
  mutation MerchantCenterCreateApp($input: CreateAppInput!) {
    createApp(input: $input) {
      ...MerchantCenterAppDetailFields
    }
  }
`);

export const updateAppMutation = graphql(`
  mutation MerchantCenterUpdateApp($input: UpdateAppInput!) {
    updateApp(input: $input) {
      ...MerchantCenterAppDetailFields
    }
  }
`);

export const addMerchantPublicKeyMutation = graphql(`
  mutation MerchantCenterAddMerchantKey($input: AddMerchantPublicKeyInput!) {
    addMerchantPublicKey(input: $input) {
      ...MerchantCenterAppDetailFields
    }
  }
`);

export const revokeMerchantKeyMutation = graphql(`
  mutation MerchantCenterRevokeMerchantKey($input: RevokeMerchantKeyInput!) {
    revokeMerchantKey(input: $input) {
      ...MerchantCenterAppDetailFields
    }
  }
`);

export const rotatePlatformKeyMutation = graphql(`
  mutation MerchantCenterRotatePlatformKey($input: RotatePlatformKeyInput!) {
    rotatePlatformKey(input: $input) {
      ...MerchantCenterAppDetailFields
    }
  }
`);

/** API tokens (`Authorization: Bearer prt_…` on GraphQL): the secret comes back once, from createApiToken. */
export const ApiTokenFieldsFragment = graphql(`
  fragment MerchantCenterApiTokenFields on ApiToken {
    id
    name
    prefix
    permissions
    merchant {
      id
      mchId
      name
    }
    createdBy {
      name
      email
    }
    createdAt
    lastUsedAt
    expiresAt
    revokedAt
    active
  }
`);

export const apiTokensQuery = graphql(`
  query MerchantCenterApiTokens {
    apiTokens {
      ...MerchantCenterApiTokenFields
    }
  }
`);

export const createApiTokenMutation = graphql(`
  mutation MerchantCenterCreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreateApiTokenPayload {
        token
        apiToken {
          ...MerchantCenterApiTokenFields
        }
      }
    }
  }
`);

export const revokeApiTokenMutation = graphql(`
  mutation MerchantCenterRevokeApiToken($input: RevokeApiTokenInput!) {
    revokeApiToken(input: $input) {
      __typename
      ... on ApiToken {
        ...MerchantCenterApiTokenFields
      }
    }
  }
`);
