// The long fuzz run: every property of test/fuzz/ with FUZZ_RUNS inputs (default 100,000 each), recorded in
// bench/fuzz-long.json and rendered into BENCHMARKS.md's "Fuzzing" section (bench/report.ts). `npm run fuzz` is the same run
// without the record. Exits non-zero when a property fails, like the test runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';

const runs = Number(process.argv[2] ?? 100_000);
const files = readdirSync('test/fuzz')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/fuzz/${f}`);
// The commit the run starts from (the suite loads the code once, at its start).
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
const started = Date.now();
const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-timeout=0', '--test-reporter=tap', ...files],
  { env: { ...process.env, FUZZ_RUNS: String(runs) }, encoding: 'utf8', maxBuffer: 1 << 28 },
);
const seconds = (Date.now() - started) / 1000;
// Each property is one test ("ok N - name" / "not ok N - name" at any depth, then its YAML block with
// duration_ms); the suites that group some of them are not properties.
const properties = [];
const lines = run.stdout.split('\n');
for (let i = 0; i < lines.length; i++) {
  const m = /^\s*(not ok|ok) \d+ - (.*)$/.exec(lines[i]);
  if (!m) continue;
  const block = lines.slice(i + 1, i + 8);
  if (block.some((l) => /type: 'suite'/.test(l))) continue;
  const duration = block.map((l) => /duration_ms: ([\d.]+)/.exec(l)).find(Boolean);
  properties.push({ name: m[2], ok: m[1] === 'ok', seconds: duration ? Number(duration[1]) / 1000 : null });
}
const record = {
  date: new Date().toISOString().slice(0, 10),
  commit,
  runsPerProperty: runs,
  inputs: runs * properties.length,
  failures: properties.filter((p) => !p.ok).length,
  seconds,
  properties,
};
writeFileSync('bench/fuzz-long.json', `${JSON.stringify(record, null, 2)}\n`);
spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--fuzz'], { stdio: 'inherit' });
console.log(
  `${record.inputs} inputs over ${properties.length} properties in ${seconds.toFixed(0)} s, ${record.failures} failing`,
);
if (run.status !== 0) {
  process.stdout.write(run.stdout.slice(-4000));
  process.exit(run.status ?? 1);
}
