// Structured, safe logs: pino with redaction of personal data wherever it might appear.
import { pino, type Logger } from 'pino';

export const REDACT_PATHS = [
  '*.name',
  '*.phone',
  '*.mobile',
  '*.idNumber',
  '*.idCard',
  '*.bankAccount',
  '*.address',
  'req.headers.authorization',
  'headers.authorization',
  '*.borrower.attributes',
  '*.history.borrower',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'ews' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger };
