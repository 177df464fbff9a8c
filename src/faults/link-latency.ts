// Link fault `latency`: Latency with jitter, one-way per stream: a round-trip delay needs `both`.
import { Ms, toxicKind } from './link-toxic.ts';

export default toxicKind('latency', 'latency', { latencyMs: Ms, jitterMs: Ms.default(0) }, (a) => ({ latency: a.latencyMs, jitter: a.jitterMs }));
