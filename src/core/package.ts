// This copy of faultline: a checkout (running src/) or an installed package (running dist/). Both
// sit one level under the package root, so one relative path finds what the package ships
// (package.json, docker-compose.yml, services/) from either.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const packageRoot = (): string => fileURLToPath(new URL('../../', import.meta.url));

export const packagePath = (...parts: string[]): string => fileURLToPath(new URL(`../../${parts.join('/')}`, import.meta.url));

export const packageVersion = (): string => (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;

/** Running from the TypeScript sources of a checkout, not from an installed package's dist/. */
export const fromSources = (): boolean => import.meta.url.endsWith('.ts');

/** The command that readies this machine, as fixes name it: the checkout's npm script, or the package's CLI. */
export const setupCommand = (): string => (fromSources() ? 'npm run setup' : 'npx faultline setup');
