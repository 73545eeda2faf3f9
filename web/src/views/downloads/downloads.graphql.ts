import { graphql } from '@/gql';

/** Download center (seed 000): the viewer's exports, their progress and files. */

export const ExportRowFieldsFragment = graphql(`
  fragment ExportRowFields on Export {
    id
    kind
    format
    status
    progressPercent
    processedRows
    totalRows
    fileName
    fileSize
    error
    filters
    createdAt
    finishedAt
    expiresAt
  }
`);

export const exportListQuery = graphql(`
  query ExportList($after: String, $before: String, $filter: ExportFilter, $first: Int, $last: Int) {
    exports(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        ...ExportRowFields
      }
    }
  }
`);
