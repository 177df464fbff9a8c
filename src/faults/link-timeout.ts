// Link fault `timeout`: Data stops, and the connection is closed after afterMs.
import { Ms, toxicKind } from './link-toxic.ts';

export default toxicKind('timeout', 'timeout', { afterMs: Ms.min(1) }, (a) => ({ timeout: a.afterMs }));
