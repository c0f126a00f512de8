import { describe, expect, it } from 'vitest';
import { browserLink, digestEmail, notificationEmail } from './email-content.js';

const URL = 'https://mes.example.com';

describe('notification emails', () => {
  it('carry the title as subject and an absolute link to the record', () => {
    const email = notificationEmail(URL, {
      title: 'Order 4711 released',
      body: 'Line 2, 500 pieces',
      link: '/orders/abc',
      createdAt: '2026-03-02T06:00:00.000Z',
    });
    expect(email.subject).toBe('Order 4711 released');
    expect(email.text).toContain('Line 2, 500 pieces');
    expect(email.text).toContain('Open in Plantline: https://mes.example.com/orders/abc');
    expect(email.text).toContain('https://mes.example.com/notifications');
  });

  it('link to the notifications page when the notification names no record', () => {
    const email = notificationEmail(`${URL}/`, { title: 'T', body: null, link: null, createdAt: '' });
    expect(email.text).toContain('Open in Plantline: https://mes.example.com/notifications\n');
    expect(browserLink(`${URL}//`, '/x')).toBe('https://mes.example.com/x');
  });

  it('list a digest’s notifications in one email, each with its link', () => {
    const email = digestEmail(URL, [
      { title: 'First', body: 'one\ntwo', link: '/a', createdAt: '2026-03-02T06:00:00.000Z' },
      { title: 'Second', body: null, link: null, createdAt: '2026-03-02T06:30:00.000Z' },
    ]);
    expect(email.subject).toBe('Plantline: 2 new notifications');
    expect(email.text).toContain('- First (2026-03-02 06:00 UTC)\n  one\n  two\n  https://mes.example.com/a');
    expect(email.text).toContain('- Second (2026-03-02 06:30 UTC)\n  https://mes.example.com/notifications');
    expect(email.text.indexOf('First')).toBeLessThan(email.text.indexOf('Second'));
  });
});
