// Link fault `reset`: Connections are reset (TCP RST) after afterMs.
import { Ms, toxicKind } from './link-toxic.ts';

export default toxicKind('reset', 'reset_peer', { afterMs: Ms.default(0) }, (a) => ({ timeout: a.afterMs }));
