/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment MoneyFields on Money {\n    amount\n    currency\n    digits\n    minorUnits\n  }\n": typeof types.MoneyFieldsFragmentDoc,
    "\n  fragment ViewerFields on Me {\n    kind\n    userId\n    email\n    name\n    global\n    merchant {\n      id\n      mchId\n      name\n      timezone\n      status\n    }\n    roles {\n      id\n      key\n      name\n      scope\n    }\n    permissions\n    abilityRules\n    locale\n    timezone\n    mfa {\n      enabled\n      verified\n      required\n    }\n    sessionExpiresAt\n    sessionIdleTimeoutSeconds\n  }\n": typeof types.ViewerFieldsFragmentDoc,
    "\n  query Me {\n    me {\n      ...ViewerFields\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on AuthError {\n        code\n        message\n        lockedUntil\n        retryAfterSeconds\n        enrolmentRequired\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation VerifyTotp($input: TotpCodeInput!) {\n    verifyTotp(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on AuthError {\n        code\n        message\n        lockedUntil\n        retryAfterSeconds\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.VerifyTotpDocument,
    "\n  mutation StartTotpEnrolment {\n    startTotpEnrolment {\n      __typename\n      ... on TotpEnrolment {\n        secret\n        otpauthUrl\n        qrCodeSvgDataUrl\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.StartTotpEnrolmentDocument,
    "\n  mutation ConfirmTotpEnrolment($input: TotpCodeInput!) {\n    confirmTotpEnrolment(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ConfirmTotpEnrolmentDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation LogoutEverywhere {\n    logoutEverywhere {\n      revokedSessions\n    }\n  }\n": typeof types.LogoutEverywhereDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      __typename\n      ... on ChangePasswordPayload {\n        revokedSessions\n      }\n      ... on AuthError {\n        code\n        message\n        details\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation UpdateMyPreferences($input: UpdateMyPreferencesInput!) {\n    updateMyPreferences(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.UpdateMyPreferencesDocument,
    "\n  query MerchantOptions($search: String, $first: Int = 20) {\n    merchants(first: $first, filter: { search: $search }, sort: { field: NAME, direction: ASC }) {\n      nodes {\n        id\n        mchId\n        name\n        status\n        timezone\n      }\n    }\n  }\n": typeof types.MerchantOptionsDocument,
    "\n  query AccountCurrencies {\n    balances {\n      currency\n    }\n  }\n": typeof types.AccountCurrenciesDocument,
    "\n  query CatalogOptions {\n    currencies {\n      code\n      name\n      digits\n      crypto\n    }\n    services(first: 100, sort: { field: CODE, direction: ASC }) {\n      nodes {\n        id\n        code\n        name\n        direction\n        kind\n        country\n        requiredFields\n        currency {\n          code\n          digits\n        }\n      }\n    }\n  }\n": typeof types.CatalogOptionsDocument,
    "\n  fragment DashboardDayFields on DashboardDay {\n    day\n    currency\n    count\n    successCount\n    successRate\n    amount {\n      ...MoneyFields\n    }\n    successAmount {\n      ...MoneyFields\n    }\n    amountDisplay {\n      ...MoneyFields\n    }\n    successAmountDisplay {\n      ...MoneyFields\n    }\n    fee {\n      ...MoneyFields\n    }\n  }\n": typeof types.DashboardDayFieldsFragmentDoc,
    "\n  fragment DashboardTotalFields on DashboardTotal {\n    currency\n    count\n    successCount\n    successRate\n    amount {\n      ...MoneyFields\n    }\n    successAmount {\n      ...MoneyFields\n    }\n    amountDisplay {\n      ...MoneyFields\n    }\n    successAmountDisplay {\n      ...MoneyFields\n    }\n    fee {\n      ...MoneyFields\n    }\n  }\n": typeof types.DashboardTotalFieldsFragmentDoc,
    "\n  query Dashboard($filter: DashboardFilter!) {\n    dashboard(filter: $filter) {\n      from\n      to\n      timezone\n      groupBy\n      displayCurrency\n      payins {\n        days {\n          ...DashboardDayFields\n        }\n        totals {\n          ...DashboardTotalFields\n        }\n      }\n      payouts {\n        days {\n          ...DashboardDayFields\n        }\n        totals {\n          ...DashboardTotalFields\n        }\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query Balances($merchantId: ID, $currency: String) {\n    balances(merchantId: $merchantId, currency: $currency) {\n      currency\n      merchant {\n        id\n        name\n        mchId\n      }\n      available {\n        ...MoneyFields\n      }\n      pending {\n        ...MoneyFields\n      }\n      frozen {\n        ...MoneyFields\n      }\n      total {\n        ...MoneyFields\n      }\n    }\n  }\n": typeof types.BalancesDocument,
    "\n  query SystemStatus {\n    health {\n      status\n      database\n      version\n    }\n    currencies {\n      code\n      name\n      digits\n    }\n  }\n": typeof types.SystemStatusDocument,
};
const documents: Documents = {
    "\n  fragment MoneyFields on Money {\n    amount\n    currency\n    digits\n    minorUnits\n  }\n": types.MoneyFieldsFragmentDoc,
    "\n  fragment ViewerFields on Me {\n    kind\n    userId\n    email\n    name\n    global\n    merchant {\n      id\n      mchId\n      name\n      timezone\n      status\n    }\n    roles {\n      id\n      key\n      name\n      scope\n    }\n    permissions\n    abilityRules\n    locale\n    timezone\n    mfa {\n      enabled\n      verified\n      required\n    }\n    sessionExpiresAt\n    sessionIdleTimeoutSeconds\n  }\n": types.ViewerFieldsFragmentDoc,
    "\n  query Me {\n    me {\n      ...ViewerFields\n    }\n  }\n": types.MeDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on AuthError {\n        code\n        message\n        lockedUntil\n        retryAfterSeconds\n        enrolmentRequired\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation VerifyTotp($input: TotpCodeInput!) {\n    verifyTotp(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on AuthError {\n        code\n        message\n        lockedUntil\n        retryAfterSeconds\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.VerifyTotpDocument,
    "\n  mutation StartTotpEnrolment {\n    startTotpEnrolment {\n      __typename\n      ... on TotpEnrolment {\n        secret\n        otpauthUrl\n        qrCodeSvgDataUrl\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.StartTotpEnrolmentDocument,
    "\n  mutation ConfirmTotpEnrolment($input: TotpCodeInput!) {\n    confirmTotpEnrolment(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.ConfirmTotpEnrolmentDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation LogoutEverywhere {\n    logoutEverywhere {\n      revokedSessions\n    }\n  }\n": types.LogoutEverywhereDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      __typename\n      ... on ChangePasswordPayload {\n        revokedSessions\n      }\n      ... on AuthError {\n        code\n        message\n        details\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.ChangePasswordDocument,
    "\n  mutation UpdateMyPreferences($input: UpdateMyPreferencesInput!) {\n    updateMyPreferences(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.UpdateMyPreferencesDocument,
    "\n  query MerchantOptions($search: String, $first: Int = 20) {\n    merchants(first: $first, filter: { search: $search }, sort: { field: NAME, direction: ASC }) {\n      nodes {\n        id\n        mchId\n        name\n        status\n        timezone\n      }\n    }\n  }\n": types.MerchantOptionsDocument,
    "\n  query AccountCurrencies {\n    balances {\n      currency\n    }\n  }\n": types.AccountCurrenciesDocument,
    "\n  query CatalogOptions {\n    currencies {\n      code\n      name\n      digits\n      crypto\n    }\n    services(first: 100, sort: { field: CODE, direction: ASC }) {\n      nodes {\n        id\n        code\n        name\n        direction\n        kind\n        country\n        requiredFields\n        currency {\n          code\n          digits\n        }\n      }\n    }\n  }\n": types.CatalogOptionsDocument,
    "\n  fragment DashboardDayFields on DashboardDay {\n    day\n    currency\n    count\n    successCount\n    successRate\n    amount {\n      ...MoneyFields\n    }\n    successAmount {\n      ...MoneyFields\n    }\n    amountDisplay {\n      ...MoneyFields\n    }\n    successAmountDisplay {\n      ...MoneyFields\n    }\n    fee {\n      ...MoneyFields\n    }\n  }\n": types.DashboardDayFieldsFragmentDoc,
    "\n  fragment DashboardTotalFields on DashboardTotal {\n    currency\n    count\n    successCount\n    successRate\n    amount {\n      ...MoneyFields\n    }\n    successAmount {\n      ...MoneyFields\n    }\n    amountDisplay {\n      ...MoneyFields\n    }\n    successAmountDisplay {\n      ...MoneyFields\n    }\n    fee {\n      ...MoneyFields\n    }\n  }\n": types.DashboardTotalFieldsFragmentDoc,
    "\n  query Dashboard($filter: DashboardFilter!) {\n    dashboard(filter: $filter) {\n      from\n      to\n      timezone\n      groupBy\n      displayCurrency\n      payins {\n        days {\n          ...DashboardDayFields\n        }\n        totals {\n          ...DashboardTotalFields\n        }\n      }\n      payouts {\n        days {\n          ...DashboardDayFields\n        }\n        totals {\n          ...DashboardTotalFields\n        }\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query Balances($merchantId: ID, $currency: String) {\n    balances(merchantId: $merchantId, currency: $currency) {\n      currency\n      merchant {\n        id\n        name\n        mchId\n      }\n      available {\n        ...MoneyFields\n      }\n      pending {\n        ...MoneyFields\n      }\n      frozen {\n        ...MoneyFields\n      }\n      total {\n        ...MoneyFields\n      }\n    }\n  }\n": types.BalancesDocument,
    "\n  query SystemStatus {\n    health {\n      status\n      database\n      version\n    }\n    currencies {\n      code\n      name\n      digits\n    }\n  }\n": types.SystemStatusDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MoneyFields on Money {\n    amount\n    currency\n    digits\n    minorUnits\n  }\n"): (typeof documents)["\n  fragment MoneyFields on Money {\n    amount\n    currency\n    digits\n    minorUnits\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ViewerFields on Me {\n    kind\n    userId\n    email\n    name\n    global\n    merchant {\n      id\n      mchId\n      name\n      timezone\n      status\n    }\n    roles {\n      id\n      key\n      name\n      scope\n    }\n    permissions\n    abilityRules\n    locale\n    timezone\n    mfa {\n      enabled\n      verified\n      required\n    }\n    sessionExpiresAt\n    sessionIdleTimeoutSeconds\n  }\n"): (typeof documents)["\n  fragment ViewerFields on Me {\n    kind\n    userId\n    email\n    name\n    global\n    merchant {\n      id\n      mchId\n      name\n      timezone\n      status\n    }\n    roles {\n      id\n      key\n      name\n      scope\n    }\n    permissions\n    abilityRules\n    locale\n    timezone\n    mfa {\n      enabled\n      verified\n      required\n    }\n    sessionExpiresAt\n    sessionIdleTimeoutSeconds\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      ...ViewerFields\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      ...ViewerFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on AuthError {\n        code\n        message\n        lockedUntil\n        retryAfterSeconds\n        enrolmentRequired\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on AuthError {\n        code\n        message\n        lockedUntil\n        retryAfterSeconds\n        enrolmentRequired\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyTotp($input: TotpCodeInput!) {\n    verifyTotp(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on AuthError {\n        code\n        message\n        lockedUntil\n        retryAfterSeconds\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation VerifyTotp($input: TotpCodeInput!) {\n    verifyTotp(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on AuthError {\n        code\n        message\n        lockedUntil\n        retryAfterSeconds\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTotpEnrolment {\n    startTotpEnrolment {\n      __typename\n      ... on TotpEnrolment {\n        secret\n        otpauthUrl\n        qrCodeSvgDataUrl\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StartTotpEnrolment {\n    startTotpEnrolment {\n      __typename\n      ... on TotpEnrolment {\n        secret\n        otpauthUrl\n        qrCodeSvgDataUrl\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotpEnrolment($input: TotpCodeInput!) {\n    confirmTotpEnrolment(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmTotpEnrolment($input: TotpCodeInput!) {\n    confirmTotpEnrolment(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogoutEverywhere {\n    logoutEverywhere {\n      revokedSessions\n    }\n  }\n"): (typeof documents)["\n  mutation LogoutEverywhere {\n    logoutEverywhere {\n      revokedSessions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      __typename\n      ... on ChangePasswordPayload {\n        revokedSessions\n      }\n      ... on AuthError {\n        code\n        message\n        details\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      __typename\n      ... on ChangePasswordPayload {\n        revokedSessions\n      }\n      ... on AuthError {\n        code\n        message\n        details\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMyPreferences($input: UpdateMyPreferencesInput!) {\n    updateMyPreferences(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMyPreferences($input: UpdateMyPreferencesInput!) {\n    updateMyPreferences(input: $input) {\n      __typename\n      ... on Me {\n        ...ViewerFields\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MerchantOptions($search: String, $first: Int = 20) {\n    merchants(first: $first, filter: { search: $search }, sort: { field: NAME, direction: ASC }) {\n      nodes {\n        id\n        mchId\n        name\n        status\n        timezone\n      }\n    }\n  }\n"): (typeof documents)["\n  query MerchantOptions($search: String, $first: Int = 20) {\n    merchants(first: $first, filter: { search: $search }, sort: { field: NAME, direction: ASC }) {\n      nodes {\n        id\n        mchId\n        name\n        status\n        timezone\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountCurrencies {\n    balances {\n      currency\n    }\n  }\n"): (typeof documents)["\n  query AccountCurrencies {\n    balances {\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CatalogOptions {\n    currencies {\n      code\n      name\n      digits\n      crypto\n    }\n    services(first: 100, sort: { field: CODE, direction: ASC }) {\n      nodes {\n        id\n        code\n        name\n        direction\n        kind\n        country\n        requiredFields\n        currency {\n          code\n          digits\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CatalogOptions {\n    currencies {\n      code\n      name\n      digits\n      crypto\n    }\n    services(first: 100, sort: { field: CODE, direction: ASC }) {\n      nodes {\n        id\n        code\n        name\n        direction\n        kind\n        country\n        requiredFields\n        currency {\n          code\n          digits\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DashboardDayFields on DashboardDay {\n    day\n    currency\n    count\n    successCount\n    successRate\n    amount {\n      ...MoneyFields\n    }\n    successAmount {\n      ...MoneyFields\n    }\n    amountDisplay {\n      ...MoneyFields\n    }\n    successAmountDisplay {\n      ...MoneyFields\n    }\n    fee {\n      ...MoneyFields\n    }\n  }\n"): (typeof documents)["\n  fragment DashboardDayFields on DashboardDay {\n    day\n    currency\n    count\n    successCount\n    successRate\n    amount {\n      ...MoneyFields\n    }\n    successAmount {\n      ...MoneyFields\n    }\n    amountDisplay {\n      ...MoneyFields\n    }\n    successAmountDisplay {\n      ...MoneyFields\n    }\n    fee {\n      ...MoneyFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DashboardTotalFields on DashboardTotal {\n    currency\n    count\n    successCount\n    successRate\n    amount {\n      ...MoneyFields\n    }\n    successAmount {\n      ...MoneyFields\n    }\n    amountDisplay {\n      ...MoneyFields\n    }\n    successAmountDisplay {\n      ...MoneyFields\n    }\n    fee {\n      ...MoneyFields\n    }\n  }\n"): (typeof documents)["\n  fragment DashboardTotalFields on DashboardTotal {\n    currency\n    count\n    successCount\n    successRate\n    amount {\n      ...MoneyFields\n    }\n    successAmount {\n      ...MoneyFields\n    }\n    amountDisplay {\n      ...MoneyFields\n    }\n    successAmountDisplay {\n      ...MoneyFields\n    }\n    fee {\n      ...MoneyFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard($filter: DashboardFilter!) {\n    dashboard(filter: $filter) {\n      from\n      to\n      timezone\n      groupBy\n      displayCurrency\n      payins {\n        days {\n          ...DashboardDayFields\n        }\n        totals {\n          ...DashboardTotalFields\n        }\n      }\n      payouts {\n        days {\n          ...DashboardDayFields\n        }\n        totals {\n          ...DashboardTotalFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Dashboard($filter: DashboardFilter!) {\n    dashboard(filter: $filter) {\n      from\n      to\n      timezone\n      groupBy\n      displayCurrency\n      payins {\n        days {\n          ...DashboardDayFields\n        }\n        totals {\n          ...DashboardTotalFields\n        }\n      }\n      payouts {\n        days {\n          ...DashboardDayFields\n        }\n        totals {\n          ...DashboardTotalFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Balances($merchantId: ID, $currency: String) {\n    balances(merchantId: $merchantId, currency: $currency) {\n      currency\n      merchant {\n        id\n        name\n        mchId\n      }\n      available {\n        ...MoneyFields\n      }\n      pending {\n        ...MoneyFields\n      }\n      frozen {\n        ...MoneyFields\n      }\n      total {\n        ...MoneyFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Balances($merchantId: ID, $currency: String) {\n    balances(merchantId: $merchantId, currency: $currency) {\n      currency\n      merchant {\n        id\n        name\n        mchId\n      }\n      available {\n        ...MoneyFields\n      }\n      pending {\n        ...MoneyFields\n      }\n      frozen {\n        ...MoneyFields\n      }\n      total {\n        ...MoneyFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SystemStatus {\n    health {\n      status\n      database\n      version\n    }\n    currencies {\n      code\n      name\n      digits\n    }\n  }\n"): (typeof documents)["\n  query SystemStatus {\n    health {\n      status\n      database\n      version\n    }\n    currencies {\n      code\n      name\n      digits\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;