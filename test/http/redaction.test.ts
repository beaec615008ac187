import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

describe('service logs', () => {
  it('redact names, phone numbers, id numbers, bank accounts and API keys', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    logger.info({
      borrower: { name: '张三', phone: '13800138000', idNumber: '110101199003078888', bankAccount: '6222020200112233445' },
      req: { headers: { authorization: 'Bearer super-secret-key' } },
      contact: { mobile: '13900139000', address: '北京市朝阳区' },
    }, 'incoming');
    const out = lines.join('');
    for (const secret of ['张三', '13800138000', '110101199003078888', '6222020200112233445', 'super-secret-key', '13900139000', '北京市朝阳区']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });
});
