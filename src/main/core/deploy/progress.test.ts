import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProgressTracker, type DeployPhase, type ProgressEvent } from './progress';
import { parseUiLine } from './ui-messages';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function replay(file: string, phase: DeployPhase) {
  const tracker = createProgressTracker(phase);
  const events: ProgressEvent[] = [];
  for (const line of readFileSync(join(FIXTURES, file), 'utf8').split('\n')) {
    const event = tracker.push(parseUiLine(line));
    if (event) events.push(event);
  }
  return { tracker, events };
}

describe('parseUiLine', () => {
  it('reads the version line Terraform 1.11 prints first', () => {
    const first = readFileSync(join(FIXTURES, 'terraform-1.11-plan.jsonl'), 'utf8').split('\n')[0]!;
    expect(parseUiLine(first)).toMatchObject({ type: 'version', terraform: '1.11.4', ui: '1.2' });
  });

  it('ignores plain text and broken JSON, and keeps unknown types as "other"', () => {
    expect(parseUiLine('Terraform crashed! This is always indicative of a bug')).toBeNull();
    expect(parseUiLine('{"type":"apply_start",')).toBeNull();
    expect(parseUiLine('{"@message":"x","type":"refresh_start"}')).toEqual({
      type: 'other',
      message: 'x',
      rawType: 'refresh_start',
    });
  });
});

describe('createProgressTracker on recorded Terraform 1.11.4 output', () => {
  it('plan: lists the planned changes and takes the total from the change summary', () => {
    const { tracker, events } = replay('terraform-1.11-plan.jsonl', 'plan');
    expect(tracker.version).toBe('1.11.4');
    expect(tracker.planned).toEqual([
      { address: 'terraform_data.processed', action: 'create' },
      { address: 'terraform_data.raw', action: 'create' },
      { address: 'terraform_data.processor', action: 'create' },
    ]);
    expect(tracker.summary).toEqual({ add: 3, change: 0, import: 0, remove: 0, operation: 'plan' });
    expect(events.at(-1)).toEqual({ phase: 'plan', done: 0, total: 3, current: '', errors: [] });
  });

  it('apply: counts each finished resource and names the current action', () => {
    const { events, tracker } = replay('terraform-1.11-apply.jsonl', 'apply');
    expect(events.map((e) => `${e.done}/${e.total} ${e.current}`)).toEqual([
      '0/1 ',
      '0/2 ',
      '0/3 ',
      '0/3 creating terraform_data.processed',
      '1/3 creating terraform_data.processed',
      '1/3 creating terraform_data.raw',
      '2/3 creating terraform_data.raw',
      '2/3 creating terraform_data.processor',
      '3/3 creating terraform_data.processor',
      '3/3 creating terraform_data.processor',
    ]);
    expect(tracker.summary?.operation).toBe('apply');
    expect(tracker.snapshot.errors).toEqual([]);
  });

  it('update: three in-place changes', () => {
    const plan = replay('terraform-1.11-plan-update.jsonl', 'plan').tracker;
    expect(plan.planned.map((c) => c.action)).toEqual(['update', 'update', 'update']);
    const apply = replay('terraform-1.11-apply-update.jsonl', 'apply');
    expect(apply.events.at(-1)).toMatchObject({ done: 3, total: 3 });
    expect(apply.events.some((e) => e.current === 'updating terraform_data.processor')).toBe(true);
  });

  it('destroy: total from the destroy plan, every resource destroyed', () => {
    const { events, tracker } = replay('terraform-1.11-destroy.jsonl', 'destroy');
    expect(tracker.summary).toMatchObject({ add: 0, change: 0, remove: 3, operation: 'apply' });
    expect(events.at(-1)).toMatchObject({ done: 3, total: 3 });
    expect(events.filter((e) => e.current.startsWith('destroying ')).map((e) => e.current)).toContain(
      'destroying terraform_data.raw',
    );
  });

  it('init: the init_output steps become the current step', () => {
    const { events } = replay('terraform-1.11-init.jsonl', 'init');
    expect(events.map((e) => e.current)).toEqual([
      'Initializing the backend...',
      'Initializing provider plugins...',
      'Terraform has been successfully initialized!',
    ]);
  });

  it('apply_errored: the failed resource still counts as done, the diagnostic becomes an error with advice', () => {
    const { events } = replay('terraform-1.11-apply-errored.jsonl', 'apply');
    const last = events.at(-1)!;
    expect(last).toMatchObject({ done: 2, total: 2, current: 'failed terraform_data.processor' });
    expect(last.errors).toHaveLength(1);
    expect(last.errors[0]!.address).toBe('terraform_data.processor');
    expect(last.errors[0]!.message).toMatch(/^local-exec provisioner error: Error running command/);
    expect(last.errors[0]!.advice).toContain('lambda:CreateFunction');
  });

  it('a configuration error before any change', () => {
    const { events } = replay('terraform-1.11-plan-invalid.jsonl', 'plan');
    expect(events).toHaveLength(1);
    expect(events[0]!.errors[0]!.message).toBe(
      'Reference to undeclared input variable: An input variable with the name "missing" has not been declared. ' +
        'This variable can be declared with a variable "missing" {} block.',
    );
    expect(events[0]!.errors[0]!.advice).toBeUndefined();
  });
});

describe('createProgressTracker on the documented format for AWS resources', () => {
  it('drift, progress ticks, an AccessDenied with advice, and warnings kept apart', () => {
    const { tracker, events } = replay('aws-apply-access-denied.jsonl', 'apply');
    expect(tracker.drift).toEqual([{ address: 'aws_s3_bucket.raw', action: 'update' }]);
    expect(events.map((e) => e.current)).toContain('creating aws_s3_bucket.raw (10s)');
    const last = events.at(-1)!;
    expect(last).toMatchObject({ done: 2, total: 3, current: 'failed aws_s3_bucket.processed' });
    expect(last.errors).toEqual([
      {
        address: 'aws_s3_bucket.processed',
        message: expect.stringContaining('api error AccessDenied'),
        advice: expect.stringMatching(
          /^The AWS identity may not do s3:CreateBucket\. Deploy with an administrator/,
        ),
      },
    ]);
    expect(tracker.warnings).toEqual(['Argument is deprecated']);
  });
});
