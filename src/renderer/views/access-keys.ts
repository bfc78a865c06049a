/**
 * "Access keys (optional)" under the S3 target. The main process encrypts typed-in keys with the OS keychain
 * (or refuses: headless mode, no keychain); this view only ever learns whether keys are stored and the access
 * key ID's last 4 characters. The inputs belong to their own <form> (the `form` attribute), so Enter in them
 * saves the keys, not the settings.
 *   const keys = createAccessKeysGroup(api)   keys.group → the fieldset; keys.form → place it outside the settings form
 */
import type { AccessKeysStatus, FieldError, GpuzApi } from '../../shared/contract';
import { field, h } from '../dom';
import { describeError } from './view';

const FORM_ID = 'access-keys-form';

function describeStatus(status: AccessKeysStatus): string {
  const parts = [
    status.problem
      ? `Stored keys cannot be read: ${status.problem.message} ${status.problem.advice ?? ''}`.trim()
      : status.stored
        ? `Keys stored, encrypted by the OS keychain (access key ID …${status.accessKeyIdLast4}); they are used instead of the profile.`
        : 'No keys stored: the profile, or else the default AWS credentials, are used.',
  ];
  if (status.unavailable) parts.push(status.unavailable.message);
  return parts.join(' ');
}

export function createAccessKeysGroup(api: GpuzApi): { group: HTMLElement; form: HTMLFormElement } {
  const keyId = h('input', {
    id: 'set-access-key-id',
    name: 'accessKeyId',
    'data-field': 'accessKeys.accessKeyId',
    form: FORM_ID,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'AKIA…',
  });
  const secret = h('input', {
    id: 'set-secret-access-key',
    name: 'secretAccessKey',
    'data-field': 'accessKeys.secretAccessKey',
    form: FORM_ID,
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const status = h('p', { role: 'status', class: 'muted', 'data-testid': 'access-keys-status' });
  const refusal = h('p', {
    class: 'field-error',
    role: 'alert',
    id: 'access-keys-error',
    'data-error-for': 'accessKeys',
    'data-testid': 'access-keys-error',
  });
  const save = h('button', { type: 'submit', form: FORM_ID }, 'Save keys');
  const forget = h('button', { type: 'button', disabled: true }, 'Forget keys');
  const form = h('form', { id: FORM_ID, novalidate: true });
  const group = h(
    'fieldset',
    { 'aria-describedby': 'access-keys-about' },
    h('legend', {}, 'Access keys (optional)'),
    h(
      'p',
      { class: 'hint', id: 'access-keys-about' },
      'Preferred: a named profile (aws configure, or aws configure sso) or the default AWS credentials — then the app stores no keys. Keys typed here are encrypted with the OS keychain, never written in plain text, and used instead of the profile.',
    ),
    field('Access key ID', keyId),
    field('Secret access key', secret),
    h('div', { class: 'actions' }, save, forget),
    refusal,
    status,
  );

  function show(next: AccessKeysStatus): void {
    status.textContent = describeStatus(next);
    forget.disabled = !next.stored;
  }

  function showErrors(errors: FieldError[], message = ''): void {
    for (const control of [keyId, secret]) {
      const error = errors.find((e) => e.field === control.dataset.field);
      const slot = group.querySelector<HTMLElement>(`[data-error-for="${control.dataset.field}"]`);
      if (slot) slot.textContent = error?.message ?? '';
      if (error) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    refusal.textContent = message;
    const first = errors[0] ? (errors[0].field === 'accessKeys.accessKeyId' ? keyId : secret) : null;
    first?.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = 'Saving keys…';
    try {
      const result = await api.saveAccessKeys({ accessKeyId: keyId.value, secretAccessKey: secret.value });
      if (result.ok) {
        showErrors([]);
        keyId.value = '';
        secret.value = '';
        show(result.status);
      } else {
        showErrors(result.errors);
        status.textContent = 'Keys not saved: fix the fields above.';
      }
    } catch (error) {
      const { message, advice } = describeError(error);
      showErrors([], `Keys not saved: ${message} ${advice}`.trim());
      api.getAccessKeys().then(show, () => undefined);
    }
  });
  forget.addEventListener('click', async () => {
    try {
      showErrors([]);
      show(await api.forgetAccessKeys());
      save.focus();
    } catch (error) {
      const { message, advice } = describeError(error);
      showErrors([], `Keys not forgotten: ${message} ${advice}`.trim());
    }
  });

  api.getAccessKeys().then(show, (error: unknown) => {
    status.textContent = describeError(error).message;
  });
  return { group, form };
}
