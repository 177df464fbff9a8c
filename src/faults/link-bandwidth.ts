// Link fault `bandwidth`: Bandwidth cap in KB/s.
import { z } from 'zod';
import { toxicKind } from './link-toxic.ts';

export default toxicKind('bandwidth', 'bandwidth', { rateKBps: z.number().int().min(0) }, (a) => ({ rate: a.rateKBps }));
