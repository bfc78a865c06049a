import { AppError, assertIsError, formatErrorLine, toErrorData } from './errors';

describe('errors', () => {
  it('turns an AppError into data with its advice', () => {
    const error = new AppError('BUCKET_MISSING', 'The bucket "x" does not exist', 'Run the wizard.');
    expect(toErrorData(error)).toEqual({
      code: 'BUCKET_MISSING',
      message: 'The bucket "x" does not exist',
      advice: 'Run the wizard.',
    });
    expect(formatErrorLine(error)).toBe('The bucket "x" does not exist — Run the wizard.');
  });

  it('keeps a Node error code and wraps non-errors', () => {
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    expect(toErrorData(enoent)).toEqual({ code: 'ENOENT', message: 'no such file' });
    expect(toErrorData('boom')).toEqual({ code: 'UNEXPECTED', message: 'boom' });
    expect(() => assertIsError('boom')).toThrow(/Expected an Error/);
  });
});

describe('advice for each surface', () => {
  it('carries the dashboard’s words beside the terminal’s', () => {
    const error = new AppError('NO_CREDENTIALS', 'No AWS credentials found', 'Pass --profile <name>.', {
      gui: 'Enter an AWS profile name in the Profile field.',
    });
    expect(toErrorData(error)).toEqual({
      code: 'NO_CREDENTIALS',
      message: 'No AWS credentials found',
      advice: 'Pass --profile <name>.',
      guiAdvice: 'Enter an AWS profile name in the Profile field.',
    });
    expect(formatErrorLine(error)).toBe('No AWS credentials found — Pass --profile <name>.');
  });
});
