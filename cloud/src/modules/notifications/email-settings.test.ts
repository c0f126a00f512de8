import { describe, expect, it } from 'vitest';
import { loadCloudEnv } from '../../env.js';

/** The email settings of the cloud's configuration (README, "Configuration"; docs/notifications.md). */
describe('email configuration', () => {
  it('takes an smtp:// or smtps:// URL with its login, a sender and the public address', () => {
    const env = loadCloudEnv({
      SMTP_URL: 'smtps://mailer:s3cret@mail.example.com:465',
      SMTP_FROM: 'Plantline <mes@example.com>',
      PUBLIC_URL: 'https://mes.example.com/',
    });
    expect(env.SMTP_URL).toBe('smtps://mailer:s3cret@mail.example.com:465');
    expect(env.SMTP_FROM).toBe('Plantline <mes@example.com>');
    // Without the trailing slash, so links join cleanly.
    expect(env.PUBLIC_URL).toBe('https://mes.example.com');
  });

  it('sends no email and links to the printed address when nothing is set', () => {
    const env = loadCloudEnv({});
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.PUBLIC_URL).toBeUndefined();
    expect(env.SMTP_FROM).toMatch(/Plantline/);
  });

  it('refuses other schemes, with the variable named', () => {
    expect(() => loadCloudEnv({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL: Use smtp:/);
    expect(() => loadCloudEnv({ SMTP_URL: 'mail.example.com:25' })).toThrow(/SMTP_URL/);
    expect(() => loadCloudEnv({ PUBLIC_URL: 'ftp://mes.example.com' })).toThrow(/PUBLIC_URL/);
  });
});
