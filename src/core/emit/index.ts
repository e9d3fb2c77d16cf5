/** Code export (walk.ts) to TypeScript (typescript.ts), NumPy (numpy.ts), PyTorch or JAX (torch.ts). */
export { emit } from './walk';
