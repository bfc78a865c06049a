#!/usr/bin/env node
// `npm run checkov`: synthesizes the stack (npm run synth), runs checkov (PyPI) on the Terraform JSON and compares
// its failed checks with the table of accepted findings in docs/infrastructure.md (## checkov): a finding that is
// not listed there, or a listed one that no longer appears, fails the run — the doc stays the truth.
//   npm run checkov   →   "checkov 3.x: 61 passed, 12 failed (all 12 accepted in docs/infrastructure.md)"
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STACK = 'cdktf.out/stacks/gpuz-cloud/cdk.tf.json';
const DOC = 'docs/infrastructure.md';

function run(command, args) {
  return spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const version = run('checkov', ['--version']);
if (version.error || version.status !== 0) {
  console.error('checkov is not installed: python3 -m pip install checkov (then run npm run checkov again)');
  process.exit(2);
}
const synth = run('npm', ['run', '--silent', 'synth']);
if (synth.status !== 0) {
  console.error(`npm run synth failed:\n${synth.stderr}`);
  process.exit(1);
}
const scan = run('checkov', ['-f', STACK, '--framework', 'terraform_json', '-o', 'json', '--compact']);
const report = JSON.parse(scan.stdout);
const results = (Array.isArray(report) ? report[0] : report).results ?? {};
const failed = results.failed_checks ?? [];
const passed = results.passed_checks ?? [];

// | CKV_AWS_18 | aws_s3_bucket.* | why … |  rows of the table under "## checkov"
const section = readFileSync(`${ROOT}${DOC}`, 'utf8').split('## checkov')[1]?.split('\n## ')[0] ?? '';
const accepted = new Set([...section.matchAll(/^\|\s*(CKV2?_AWS_\d+)\s*\|/gm)].map((m) => m[1]));
const found = new Set(failed.map((f) => f.check_id));

console.log(`checkov ${version.stdout.trim()}: ${passed.length} passed, ${failed.length} failed`);
for (const f of failed) {
  console.log(
    `  ${accepted.has(f.check_id) ? 'accepted' : 'NEW     '} ${f.check_id} ${f.resource}: ${f.check_name}`,
  );
}
const unlisted = [...found].filter((id) => !accepted.has(id));
const stale = [...accepted].filter((id) => !found.has(id));
if (unlisted.length > 0)
  console.log(`not in ${DOC} (fix it, or list it there with why): ${unlisted.join(', ')}`);
if (stale.length > 0) console.log(`listed in ${DOC} but no longer found (remove them): ${stale.join(', ')}`);
if (unlisted.length === 0 && stale.length === 0) {
  console.log(`all ${failed.length} findings (${found.size} kinds of check) are accepted in ${DOC}`);
}
process.exit(unlisted.length + stale.length > 0 ? 1 : 0);
