import { graphql } from '@/gql';

export const systemStatusQuery = graphql(`
  query SystemStatus {
    health {
      status
      database
      version
    }
    currencies {
      code
      name
      digits
    }
  }
`);
