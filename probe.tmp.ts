import { derivation } from './src/core';
import { derivationSteps } from './src/core/steps';
const cases: [string, object][] = [
  ['\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)', { wrt: ['w'], op: 'derivative' }],
  ['(y - \\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b))^2', { wrt: ['w', 'b'] }],
  ['\\operatorname{softmax}(\\mathbf{x})', {}],
  ['[\\ln(x^2), \\sin(3x)]', {}],
  ['3x^2y', {}],
  ['\\sin(x)e^{y}', {}],
  ['\\mathbf{x}^\\top A\\mathbf{x}', {}],
  ['\\|W\\mathbf{x}+\\mathbf{b}-\\mathbf{y}\\|^2', { wrt: ['W'] }],
];
for (const [e, o] of cases) {
  console.log('=====', e);
  const s = derivationSteps(derivation(e, o));
  for (const st of s.steps) console.log(`${st.key ? '*' : ' '}${'  '.repeat(st.depth)}[${st.rule}] ${st.text}    -- ${st.explanation}`);
}
