// Link fault `limit_data`: The connection is closed after `bytes` have passed.
import { z } from 'zod';
import { toxicKind } from './link-toxic.ts';

export default toxicKind('limit_data', 'limit_data', { bytes: z.number().int().min(1) }, (a) => ({ bytes: a.bytes }));
