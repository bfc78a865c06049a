/**
 * Every code an AppError may carry, each with the advice a person gets when the thrower has none more specific:
 *   new AppError('BUCKET_MISSING', 'S3 says the bucket "x" does not exist')  → advice: ERROR_ADVICE.BUCKET_MISSING
 *   new AppError('BUKET_MISSING', …)                                         → typecheck error (not a code)
 * A new code is one line here. Codes that arrive over a wire from another build (reply.ts) may be unknown here.
 */
export const ERROR_ADVICE = {
  // Access to AWS and the store
  ACCESS_DENIED:
    'Check that the profile or keys may use this bucket (the deploy prints the policy it needs).',
  BUCKET_MISSING:
    'Deploy the stack (`gpuz-cloud deploy` or the Cloud view) or check the bucket name in Settings.',
  CREDENTIALS_EXPIRED: 'Sign in again (`aws sso login --profile <name>`) or renew the keys, then retry.',
  CREDENTIALS_INVALID: 'The access key is not valid: enter it again in Settings or fix the profile.',
  CREDENTIALS_MISSING: 'Choose an AWS profile in Settings, or enter access keys there.',
  CREDENTIALS_REJECTED: 'AWS refused the credentials: check the profile or keys and the account.',
  NO_CREDENTIALS: 'Choose an AWS profile (`--profile`), or configure the default credential chain.',
  STS_UNREACHABLE: 'Check the network and the endpoint; AWS STS did not answer.',
  STORE_DENIED: 'Check that this account may write to the store folder.',
  STORE_FAILED: 'The store refused the write; the batch stays in the spool and is retried.',
  STORE_FULL: 'Free some space on the store’s disk; nothing is lost, the spool keeps the batches.',
  STORE_GONE:
    'Connect or mount the drive of the store folder; nothing is lost, the spool keeps the batches until it is back.',
  STORE_NOT_A_FOLDER: 'Choose a folder for the local store in Settings.',
  STORE_UNREACHABLE: 'Check the network or the store folder; uploads resume by themselves.',
  BAD_KEY: 'Nothing was written; run `gpuz-cloud repair` to check the spool.',
  OBJECT_GONE: 'Reload: something deleted processed data meanwhile.',
  BATCH_REJECTED: 'The batch stays in the spool and is tried again with the next upload.',
  CLOUDWATCH_READ_FAILED:
    'The figures from CloudWatch are missing this time; check the profile’s permissions.',
  // The log and its contents
  EMPTY_LOG: 'Check the path: GPU-Z may not have written anything yet.',
  FILE_UNREADABLE: 'Check the path and that this account may read the file.',
  NOT_A_LOG: 'Choose GPU-Z’s sensor log (Sensors → "Log to file").',
  UNKNOWN_FORMAT: 'Choose a GPU-Z, HWiNFO or nvidia-smi CSV log (docs/log-formats.md).',
  BAD_TIME_ZONE: 'Use an IANA time zone such as Europe/Berlin.',
  BAD_GZIP: 'The batch is damaged; it was quarantined, the rest goes on.',
  PROCESSED_SCHEMA: 'The processed document is of an unknown version: update the app.',
  PROCESSED_UNREADABLE: 'The processed document is damaged; reprocess its raw batch.',
  // State, spool and settings on this PC
  AGENT_LOCK: 'Another agent holds the state folder; stop it or use another --state-dir.',
  AGENT_RUNNING: 'Stop the running agent (tray app or `gpuz-cloud agent`) first, or use another --state-dir.',
  AGENT_LOCK_LOST:
    'Another agent took over the state folder while this one ran; keep one agent per folder and start this one again.',
  NOT_IN_SPOOL: 'Reload the Uploads view: the batch was already sent or removed.',
  NOT_STARTED: 'Start the agent (the tray app or `gpuz-cloud agent`).',
  SPOOL_BODY_DAMAGED: 'Run `gpuz-cloud repair`: it rebuilds the batch from the log.',
  SPOOL_BODY_MISSING: 'Run `gpuz-cloud repair`: it rebuilds the batch from the log.',
  STATE_DAMAGED: 'Run `gpuz-cloud repair` to check the state folder and rebuild it from the store.',
  STATE_NOT_A_FOLDER: 'Move the file that has the state folder’s name away, or choose another state folder.',
  STATE_WRITE_FAILED:
    'Free some space on the disk of the state folder; reading goes on by itself, nothing is lost.',
  REPAIR_UNAVAILABLE: 'Run `gpuz-cloud repair` from a terminal.',
  CHECKPOINT_UNREADABLE:
    'Delete the checkpoint named in the message; the command starts over and sends nothing twice.',
  EXPORT_CHECKPOINT_UNREADABLE: 'Delete the export’s state file; the export starts over.',
  EXPORT_FOLDER_UNWRITABLE: 'Choose an --out folder this user may write to, on a drive with room.',
  SETTINGS_INVALID: 'Fix the field named in the message in Settings (or settings.json).',
  SETTINGS_NOT_SAVED: 'Save the settings again from Settings.',
  SETTINGS_UNREADABLE: 'settings.json is damaged: save Settings again (the damaged copy is kept).',
  SECRETS_HEADLESS: 'Use an AWS named profile: the headless agent has no OS keychain for keys.',
  SECRETS_UNAVAILABLE: 'Use an AWS named profile: there is no OS keychain to keep keys safe here.',
  SECRET_UNREADABLE: 'Enter the keys again (they were saved by another user account or machine).',
  BAD_SECRET_NAME: 'This is a bug: report it with the app log.',
  // Deploy, Terraform and the stack
  BAD_ALARM_EMAIL: 'Give an e-mail address, or `none` to remove the alarm e-mail.',
  BAD_ARCHITECTURE: 'Choose arm64 or x86_64.',
  BAD_CONCURRENCY: 'Give a whole number, -1 for none, or auto.',
  BAD_ENVIRONMENT: 'Use lower-case letters, digits and dashes for the environment.',
  BAD_KAFKA: 'Give brokers as host:port, comma-separated, with a topic.',
  BAD_PROJECT: 'Use lower-case letters, digits and dashes for the project.',
  BAD_RAW_EXPIRY: 'Give a whole number of days, 0 to keep raw batches.',
  BAD_REGION: 'Use an AWS region such as eu-central-1.',
  BAD_TARGET: 'Give either --bucket or --local.',
  BUNDLE_STALE: 'Run `npm run synth` so the stack carries the new bundle’s hash.',
  CONFIRMATION_NEEDED: 'Pass --yes, or run it in a terminal to confirm.',
  DEPLOY_BUSY: 'Wait for the running deploy to finish.',
  DEPLOY_UNAVAILABLE: 'Use `gpuz-cloud deploy` from a terminal.',
  EMPTY_BUCKET_FAILED: 'Run destroy again; what was deleted stays deleted.',
  EMPTY_BUCKET_STUCK: 'Something keeps writing to the bucket: stop the agent, then run destroy again.',
  LAMBDA_ZIP_MISSING: 'Run `npm run build:lambda` (or reinstall the app).',
  NOT_CONFIRMED: 'Type the environment’s name to confirm.',
  NO_PLAN: 'Plan first (Plan deploy / Plan destroy), then apply.',
  NO_STACK: 'Deploy the stack in the Cloud view first.',
  OUTPUTS_MISSING: 'Deploy again: the stack’s outputs are missing.',
  STACK_MISSING: 'Run `npm run synth` (or reinstall the app) so the stack file exists.',
  STATE_COPY_UNREADABLE:
    'Check the network and that the profile may read the processed bucket, then deploy again; nothing was changed.',
  TERRAFORM_ARCHIVE: 'The download was damaged; download Terraform again.',
  TERRAFORM_BROKEN: 'Reinstall Terraform or point --terraform at a working binary.',
  TERRAFORM_CHECKSUM:
    'The download did not match the pinned SHA-256 and was deleted; try again or install Terraform yourself.',
  TERRAFORM_DOWNLOAD_FAILED:
    'Check the network, or install Terraform yourself (developer.hashicorp.com/terraform/install).',
  TERRAFORM_FAILED: 'Read Terraform’s message above; fix it and run the deploy again (it resumes).',
  TERRAFORM_MISSING: 'Download Terraform from the Cloud view, or install Terraform or OpenTofu.',
  TERRAFORM_NOT_EXECUTABLE: 'Make the binary executable, or point --terraform at another one.',
  TERRAFORM_NO_DOWNLOAD: 'Install Terraform yourself: there is no download for this platform.',
  TERRAFORM_SPAWN: 'Check that the Terraform binary runs on this machine.',
  TERRAFORM_TOO_OLD: 'Install a newer Terraform (1.6 or later) or OpenTofu.',
  TERRAFORM_UNKNOWN: 'Point --terraform at a Terraform or OpenTofu binary.',
  // The Lambda and Kafka
  CONFIG_INVALID: 'Deploy the stack again: it sets the function’s environment.',
  CONFIG_MISSING: 'Deploy the stack again: it sets the function’s environment.',
  FORWARD_KAFKA_FAILED: 'Check the brokers and topic; run forward again, it resumes.',
  KAFKA_TIMEOUT: 'Check that the brokers answer; the rows are sent again on the next try.',
  // Commands and the dashboard's transports
  BAD_OPTION: 'Run the command with --help for its options.',
  BAD_RANGE: 'Pick an end after the start.',
  EXPORT_USAGE: 'Run gpuz-cloud export --help for the options.',
  FORWARD_USAGE: 'Run gpuz-cloud forward --help for the options.',
  NO_DASHBOARD: 'Run `npm run build` (or reinstall) so the dashboard files exist.',
  BAD_DASHBOARD_TOKEN: 'Set GPUZ_CLOUD_DASHBOARD_TOKEN to `openssl rand -hex 32`, or unset it.',
  PORT_IN_USE: 'Pass another --port, or --port 0 for any free one.',
  PORT_DENIED: 'Pass a --port from 1024 to 65535, or --port 0 for any free one.',
  APP_UNREACHABLE: 'Check that `gpuz-cloud agent` is still running, then reload the page.',
  BAD_REPLY: 'Reload the page with the URL the agent printed.',
  BAD_INPUT: 'The request does not match what the app expects; reload the page or update the app.',
  INTERNAL: 'Try again; if it keeps failing, report it with the app log (it has the details).',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_ADVICE;

/**
 * Errors `gpuz-cloud repair` mends: the Overview offers "Check and repair" for them (the same check, in the app).
 *   REPAIRABLE_CODES.has('STATE_DAMAGED') → true
 */
export const REPAIRABLE_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'STATE_DAMAGED',
  'SPOOL_BODY_DAMAGED',
  'SPOOL_BODY_MISSING',
  'BAD_KEY',
]);

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_ADVICE, code);
}
