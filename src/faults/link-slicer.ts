// Link fault `slicer`: Data is cut into small packets, optionally delayed between them.
import { z } from 'zod';
import { toxicKind } from './link-toxic.ts';

export default toxicKind('slicer', 'slicer', { averageBytes: z.number().int().min(1), variationBytes: z.number().int().min(0).default(0), delayUs: z.number().int().min(0).default(0) }, (a) => ({ average_size: a.averageBytes, size_variation: a.variationBytes, delay: a.delayUs }));
