// Mesh test files run in the order of their names (01-healthy first), on a fresh clone as after a
// cached run. Vitest's default order (slowest or largest first) differs between the two, so a
// file that disturbed the shared mesh once decided which others failed, differently each time.
// Every other file keeps the place vitest's own order gives it.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export default class MeshInNameOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isMesh = (f: TestSpecification) => f.project.name === 'mesh';
    const mesh = sorted.filter(isMesh).sort((a, b) => (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0));
    let next = 0;
    return sorted.map((f) => (isMesh(f) ? mesh[next++]! : f));
  }
}
