/** The tools and corpora of the speed comparison (bench/speed.ts), shared with its child processes. */
import { createRequire } from 'node:module';
import { SCALAR_CORPUS } from './corpus';
import { EVERYDAY_CORPUS } from './corpus-everyday';
import { ourPipeline, ourResult } from './ours';
import type { Peer } from './peers';

export const CORPORA = { main: SCALAR_CORPUS, everyday: EVERYDAY_CORPUS } as const;
export type CorpusName = keyof typeof CORPORA;

/** A peer's pipeline (bench/peers.ts), or ours. */
export interface SpeedTool extends Omit<Peer, 'pkg'> {
  readonly ours: boolean;
}

const OURS: SpeedTool = {
  name: 'ours',
  ours: true,
  primary: false,
  pipeline: ourPipeline,
  derive: ourResult,
};

/**
 * Ours and the primary peers. The peers' libraries are loaded only when asked for, so a child
 * timing (or profiling) ours has none of their modules loaded or compiled.
 */
export function speedTools(withPeers = true): SpeedTool[] {
  if (!withPeers) return [OURS];
  const { PEERS } = createRequire(__filename)('./peers') as typeof import('./peers');
  return [OURS, ...PEERS.filter((p) => p.primary).map((p) => ({ ...p, ours: false }))];
}
