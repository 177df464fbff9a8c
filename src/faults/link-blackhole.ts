// Link fault `blackhole`: Blackhole: data is accepted and never delivered (Toxiproxy's timeout toxic with timeout 0); healing closes the held connections. The closest thing to a real partition.
import { toxicKind } from './link-toxic.ts';

export default toxicKind('blackhole', 'timeout', {}, () => ({ timeout: 0 }));
