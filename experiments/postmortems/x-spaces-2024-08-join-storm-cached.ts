// x-spaces-2024-08-join-storm with the join's store check shared: the same crowd on
// /readyz?maxAgeMs=1000, so the app asks the stores once a second however many join. See that file.
import { joinStorm } from './x-spaces-2024-08-join-storm.ts';

export default joinStorm('x-spaces-2024-08-join-storm-cached', '/readyz?maxAgeMs=1000',
  'The X Spaces join storm with the join\'s store check cached for 1 s: the same crowd, one store check per second per app.');
