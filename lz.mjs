import { parser } from '@lezer/python';
const src = process.argv[2];
const tree = parser.parse(src);
let out = ''; let d=0;
tree.iterate({ enter(n) { out += `${'  '.repeat(d++)}${n.name}[${n.from},${n.to}]${n.type.isError ? '!!' : ''} '${src.slice(n.from, n.to).slice(0,30).replace(/\n/g,'\\n')}'\n`; }, leave(){d--} });
console.log(out);
