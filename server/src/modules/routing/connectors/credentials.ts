import type { Channel } from '../../../generated/prisma/client.ts';
import type { SecretBox } from '../../../lib/crypto.ts';

/** Opens a channel's sealed credentials (a JSON object); null when the channel has none. */
export function openCredentials(secrets: SecretBox, channel: Pick<Channel, 'credentialsEnc'>): Record<string, unknown> | null {
  if (!channel.credentialsEnc) return null;
  const parsed: unknown = JSON.parse(secrets.open(channel.credentialsEnc));
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}
