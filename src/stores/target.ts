// Loading a target with its stores checked by their kinds: what the public entry, the CLI and
// validation use. (config/target.ts parses the rest; it sits below the kinds and is handed their checker.)
import { loadTarget as loadFile, parseTarget as parseRaw, referenceTargetPath, type Target } from '../config/target.ts';
import { checkStores } from './check.ts';

export function loadTarget(path: string = referenceTargetPath(), env: NodeJS.ProcessEnv = process.env): Target {
  return loadFile(path, env, checkStores);
}

export function parseTarget(raw: unknown, source: string, env: NodeJS.ProcessEnv = process.env): Target {
  return parseRaw(raw, source, env, checkStores);
}
