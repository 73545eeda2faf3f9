import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.ts';
import { DomainError } from '../lib/errors.ts';
import { decodeUtf8, describeProblem, dirtyProblem, findDirtyInput, isCleanText } from '../lib/text-hygiene.ts';
import { receiveUpstreamCallback } from '../modules/routing/upstream-callbacks.ts';

/**
 * `POST /upstream/:channel/callback` (mounted under /v1): where upstream providers report payments and
 * payout results (the connector's parser says which).
 * Not the merchant API: no envelope, no merchant signature. The domain operation
 * (modules/routing/upstream-callbacks.ts `receiveUpstreamCallback`) verifies, records and applies the
 * callback and returns a verdict; this route keeps the exact body bytes and maps the verdict to HTTP.
 * An answer of 200 always stands for a recorded callback that is applied now or, after a crash, by the janitor.
 *
 *   200 {"ok":true}        processed: applied, duplicate or ignored (out of order) — the upstream stops retrying
 *   400 {"ok":false,…}     verified but malformed (unknown event, bad transactions)
 *   401 {"ok":false,…}     signature does not verify (or the channel has no credentials): nothing applied
 *   404 {"ok":false,…}     unknown channel, or an order we do not know
 *   409 {"ok":false,…}     the order belongs to another channel
 *   5xx                    unexpected failure: the upstream should retry
 *
 * A body or channel that is not clean text (bytes that are not UTF-8, NUL, lone surrogates, in a JSON
 * body also nesting deeper than MAX_JSON_DEPTH) is answered like the merchant API's invalid parameters —
 * 400 with the envelope, code 40002 and `data.field` — and is not recorded (PostgreSQL cannot store it).
 */
export async function upstreamRoutes(app: FastifyInstance, opts: { services: AppServices }): Promise<void> {
  const { services } = opts;

  // The signature covers the exact bytes: keep the body as a string in this plugin's scope. Text that
  // is not clean UTF-8 (see cleanCallbackBody) is refused here, before anything is looked up or recorded.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, cleanCallbackBody(typeof body === 'string' ? Buffer.from(body, 'utf8') : body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.post<{ Params: { channel: string } }>('/upstream/:channel/callback', async (request, reply) => {
    if (!isCleanText(request.params.channel)) {
      throw new DomainError('INVALID_PARAMETER', `channel ${describeProblem(dirtyProblem(request.params.channel)!)}`, { field: 'channel' });
    }
    const result = await receiveUpstreamCallback(services, {
      channelCode: request.params.channel,
      rawBody: typeof request.body === 'string' ? request.body : '',
      headers: request.headers,
    });
    switch (result.verdict) {
      case 'PROCESSED':
        return reply.status(200).send({ ok: true });
      case 'UNKNOWN_CHANNEL':
        return reply.status(404).send({ ok: false, error: 'UNKNOWN_CHANNEL' });
      case 'BAD_SIGNATURE':
        return reply.status(401).send({ ok: false, error: 'BAD_SIGNATURE' });
      case 'MALFORMED':
        return reply.status(400).send({ ok: false, error: 'MALFORMED', reason: result.reason });
      case 'NOT_FOUND':
        return reply.status(404).send({ ok: false, error: result.code });
      case 'CHANNEL_MISMATCH':
        return reply.status(409).send({ ok: false, error: 'CHANNEL_MISMATCH' });
    }
  });
}

/** The callback body as text, or INVALID_PARAMETER naming the field (a JSON body's key path, else `body`) holding dirty text. */
function cleanCallbackBody(bytes: Uint8Array): string {
  const { text, valid } = decodeUtf8(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined; // not JSON: the connector decides what it makes of it
  }
  const dirty =
    (parsed !== undefined ? findDirtyInput(parsed) : null) ??
    (valid && isCleanText(text) ? null : { field: 'body', problem: dirtyProblem(text) ?? 'LONE_SURROGATE' });
  if (dirty) throw new DomainError('INVALID_PARAMETER', `${dirty.field} ${describeProblem(dirty.problem)}`, { field: dirty.field });
  return text;
}
