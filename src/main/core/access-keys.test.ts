import { inspect } from 'node:util';
import { toError } from '../../shared/errors';
import { AccessKeys, createAccessKeyStore, validateAccessKeys } from './access-keys';
import { createHeadlessVault } from './secret-vault';
import { createMemoryVault } from './secret-vault.test-support';

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('access keys', () => {
  it('saves into the vault, reports only the id’s last 4 characters, loads, and forgets', async () => {
    const { vault, values } = createMemoryVault();
    const keys = createAccessKeyStore(vault);
    await expect(keys.status()).resolves.toEqual({ stored: false });
    const saved = await keys.save({ accessKeyId: ` ${ID}\n`, secretAccessKey: `${SECRET} ` });
    expect(saved).toEqual({ ok: true, status: { stored: true, accessKeyIdLast4: 'MPLE' } });
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    expect([...values.keys()]).toEqual(['s3.accessKeys']);
    const loaded = await keys.load();
    expect(loaded?.accessKeyId).toBe(ID);
    expect(loaded?.secretAccessKey).toBe(SECRET);
    await expect(keys.forget()).resolves.toEqual({ stored: false });
    await expect(keys.load()).resolves.toBeNull();
  });

  it('validates the id shape and the secret length without quoting the secret', () => {
    expect(validateAccessKeys({ accessKeyId: ID, secretAccessKey: SECRET })).toEqual([]);
    const errors = validateAccessKeys({ accessKeyId: 'akia-nope', secretAccessKey: 'short-secret' });
    expect(errors.map((e) => e.field)).toEqual(['accessKeys.accessKeyId', 'accessKeys.secretAccessKey']);
    expect(errors[0]!.message).toMatch(/20 capital letters and digits starting with AKIA/);
    expect(errors[1]!.message).toMatch(/40 characters.*has 12/);
    expect(JSON.stringify(errors)).not.toContain('short-secret');
    const temporary = validateAccessKeys({ accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
    expect(temporary).toEqual([
      { field: 'accessKeys.accessKeyId', message: expect.stringMatching(/temporary.*named profile/) },
    ]);
  });

  it('returns field errors for invalid keys and stores nothing', async () => {
    const { vault, values } = createMemoryVault();
    const result = await createAccessKeyStore(vault).save({ accessKeyId: ID, secretAccessKey: 'x' });
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'accessKeys.secretAccessKey' }] });
    expect(values.size).toBe(0);
  });

  it('headless: refuses to save with advice (profile or environment), and says so in the status', async () => {
    const keys = createAccessKeyStore(createHeadlessVault());
    const error = await keys.save({ accessKeyId: ID, secretAccessKey: SECRET }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SECRETS_HEADLESS',
      message: expect.stringMatching(/cannot be saved in headless mode/),
      advice: expect.stringMatching(/named profile.*AWS_ACCESS_KEY_ID/),
    });
    expect(JSON.stringify({ ...(error as object), m: toError(error).message })).not.toContain(SECRET);
    await expect(keys.status()).resolves.toMatchObject({
      stored: false,
      unavailable: { code: 'SECRETS_HEADLESS' },
    });
    await expect(keys.forget()).resolves.toMatchObject({ stored: false });
  });

  it('a damaged entry is reported as a problem and the runtime falls back to the profile / chain', async () => {
    const { vault, values } = createMemoryVault();
    values.set('s3.accessKeys', 'not json with a secret inside');
    const keys = createAccessKeyStore(vault);
    const status = await keys.status();
    expect(status).toMatchObject({ stored: true, problem: { code: 'SECRET_UNREADABLE' } });
    expect(JSON.stringify(status)).not.toContain('secret inside');
    await expect(keys.load()).resolves.toBeNull();
  });

  it('keys in memory print without the secret (JSON, console.log, template strings of the target)', () => {
    const keys = new AccessKeys({ accessKeyId: ID, secretAccessKey: SECRET });
    const target = { kind: 's3', bucket: 'b', accessKeys: keys };
    expect(JSON.stringify(target)).not.toContain(SECRET);
    expect(JSON.stringify(target)).toContain('…MPLE');
    expect(inspect(target, { depth: 5 })).not.toContain(SECRET);
    expect(Object.keys(keys)).toEqual(['accessKeyId']);
    expect({ ...target }.accessKeys.secretAccessKey).toBe(SECRET);
  });
});
