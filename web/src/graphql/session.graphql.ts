import { graphql } from '@/gql';

/** What the SPA keeps about the signed-in viewer. */
export const ViewerFieldsFragment = graphql(`
  fragment ViewerFields on Me {
    kind
    userId
    email
    name
    global
    merchant {
      id
      mchId
      name
      timezone
      status
    }
    roles {
      id
      key
      name
      scope
    }
    permissions
    abilityRules
    locale
    timezone
    mfa {
      enabled
      verified
      required
    }
    passwordChangeRequired
    sessionExpiresAt
    sessionIdleTimeoutSeconds
  }
`);

export const meQuery = graphql(`
  query Me {
    me {
      ...ViewerFields
    }
  }
`);

export const loginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on Me {
        ...ViewerFields
      }
    }
  }
`);

export const verifyTotpMutation = graphql(`
  mutation VerifyTotp($input: TotpCodeInput!) {
    verifyTotp(input: $input) {
      __typename
      ... on Me {
        ...ViewerFields
      }
    }
  }
`);

export const startTotpEnrolmentMutation = graphql(`
  mutation StartTotpEnrolment {
    startTotpEnrolment {
      __typename
      ... on TotpEnrolment {
        secret
        otpauthUrl
        qrCodeSvgDataUrl
      }
    }
  }
`);

export const confirmTotpEnrolmentMutation = graphql(`
  mutation ConfirmTotpEnrolment($input: TotpCodeInput!) {
    confirmTotpEnrolment(input: $input) {
      __typename
      ... on Me {
        ...ViewerFields
      }
    }
  }
`);

export const logoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

export const logoutEverywhereMutation = graphql(`
  mutation LogoutEverywhere {
    logoutEverywhere {
      revokedSessions
    }
  }
`);

export const changePasswordMutation = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      __typename
      ... on ChangePasswordPayload {
        revokedSessions
      }
    }
  }
`);

export const updateMyPreferencesMutation = graphql(`
  mutation UpdateMyPreferences($input: UpdateMyPreferencesInput!) {
    updateMyPreferences(input: $input) {
      __typename
      ... on Me {
        ...ViewerFields
      }
    }
  }
`);
