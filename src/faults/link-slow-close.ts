// Link fault `slow_close`: Closing a connection is delayed.
import { Ms, toxicKind } from './link-toxic.ts';

export default toxicKind('slow_close', 'slow_close', { delayMs: Ms }, (a) => ({ delay: a.delayMs }));
