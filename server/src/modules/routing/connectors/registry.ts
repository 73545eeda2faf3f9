import { DomainError } from '../../../lib/errors.ts';
import type { Connector } from './connector.ts';
import { sandboxConnector } from './sandbox/connector.ts';

/** The installed connectors by kind. A new connector is added here (see ARCHITECTURE.md). */
const registry = new Map<string, Connector>([[sandboxConnector.kind, sandboxConnector]]);

/** Adds (or replaces) a connector, e.g. a test connector built to fail. */
export function registerConnector(connector: Connector): void {
  registry.set(connector.kind, connector);
}

export function hasConnector(kind: string): boolean {
  return registry.has(kind);
}

/** The connector of a channel; NO_CHANNEL when the kind is not installed (a configuration error). */
export function getConnector(kind: string): Connector {
  const connector = registry.get(kind);
  if (!connector) throw new DomainError('NO_CHANNEL', `connector "${kind}" is not installed`, { connector: kind });
  return connector;
}

/** Every installed connector (the platform gathers their background tasks). */
export function installedConnectors(): Connector[] {
  return [...registry.values()];
}

/** The simulator of a channel's connector; undefined for real upstreams and connectors not installed. */
export function simulatorOf(kind: string): Connector['simulator'] {
  return registry.get(kind)?.simulator;
}

/** A simulated upstream (test money only; SANDBOX_FOR_TEST_ONLY keeps live orders away from it). */
export function isSimulated(kind: string): boolean {
  return simulatorOf(kind) !== undefined;
}
