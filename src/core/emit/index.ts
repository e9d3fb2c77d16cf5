/** Code export (walk.ts) to TypeScript (typescript.ts) or NumPy (numpy.ts). */
export { emit } from './walk';
