import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clockStatus,
  dueReminders,
  formatInstant,
  notificationDeadline,
  reminderSchedule,
} from './breach-clock.ts';

describe('the 72-hour breach clock (GDPR Art. 33(1))', () => {
  it('ends 72 elapsed hours after awareness across the spring DST change: 10:00 CET becomes 11:00 CEST', () => {
    // Clocks in Berlin go from 02:00 CET to 03:00 CEST on 29 March 2026.
    const aware = new Date('2026-03-27T09:00:00Z');
    const deadline = notificationDeadline(aware);
    assert.equal(deadline.toISOString(), '2026-03-30T09:00:00.000Z');
    assert.equal(deadline.getTime() - aware.getTime(), 72 * 3_600_000);
    assert.equal(formatInstant(aware, 'Europe/Berlin'), '2026-03-27 10:00 CET (UTC+01:00)');
    assert.equal(formatInstant(deadline, 'Europe/Berlin'), '2026-03-30 11:00 CEST (UTC+02:00)');
  });

  it('ends 72 elapsed hours after awareness across the autumn DST change: 10:00 CEST becomes 09:00 CET', () => {
    const aware = new Date('2026-10-23T08:00:00Z'); // Clocks go back on 25 October 2026.
    const deadline = notificationDeadline(aware);
    assert.equal(formatInstant(aware, 'Europe/Berlin'), '2026-10-23 10:00 CEST (UTC+02:00)');
    assert.equal(formatInstant(deadline, 'Europe/Berlin'), '2026-10-26 09:00 CET (UTC+01:00)');
  });

  it('runs across a year end into the next year', () => {
    const aware = new Date('2026-12-30T22:30:00Z');
    const deadline = notificationDeadline(aware);
    assert.equal(deadline.toISOString(), '2027-01-02T22:30:00.000Z');
    assert.equal(formatInstant(deadline, 'Europe/Lisbon'), '2027-01-02 22:30 WET (UTC+00:00)');
    assert.equal(formatInstant(deadline, 'Asia/Tokyo'), '2027-01-03 07:30 GMT+9 (UTC+09:00)');
  });

  it('reminds at 48, 24, 6 and 1 hours left and escalates when the deadline passes, each once', () => {
    const aware = new Date('2026-03-27T09:00:00Z');
    const schedule = reminderSchedule(aware);
    assert.deepEqual(
      schedule.map((r) => [r.hoursLeft, r.at.toISOString(), r.kind]),
      [
        [48, '2026-03-28T09:00:00.000Z', 'reminder'],
        [24, '2026-03-29T09:00:00.000Z', 'reminder'],
        [6, '2026-03-30T03:00:00.000Z', 'reminder'],
        [1, '2026-03-30T08:00:00.000Z', 'reminder'],
        [0, '2026-03-30T09:00:00.000Z', 'escalation'],
      ],
    );
    const now = new Date('2026-03-30T04:00:00Z');
    assert.deepEqual(
      dueReminders(aware, now, []).map((r) => r.hoursLeft),
      [48, 24, 6],
    );
    assert.deepEqual(
      dueReminders(aware, now, [48, 24]).map((r) => r.hoursLeft),
      [6],
    );
  });

  it('is overdue after 72 hours and asks for the reasons for the delay until they are given', () => {
    const awareAt = new Date('2026-03-27T09:00:00Z');
    const now = new Date('2026-03-30T10:30:00Z');
    const overdue = clockStatus({ awareAt, now, authorityNotificationRequired: true });
    assert.equal(overdue.state, 'overdue');
    assert.equal(overdue.hoursLeft, -1.5);
    assert.equal(overdue.delayReasonRequired, true);
    assert.equal(
      clockStatus({ awareAt, now, authorityNotificationRequired: true, delayReason: 'forensics' })
        .delayReasonRequired,
      false,
    );
  });

  it('is met by a notification at the last minute and late one second after', () => {
    const awareAt = new Date('2026-03-27T09:00:00Z');
    const now = new Date('2026-04-10T00:00:00Z');
    const at = (iso: string) =>
      clockStatus({ awareAt, now, authorityNotifiedAt: new Date(iso), authorityNotificationRequired: true })
        .state;
    assert.equal(at('2026-03-30T09:00:00Z'), 'met');
    assert.equal(at('2026-03-30T09:00:01Z'), 'late');
  });

  it('does not run when the breach is unlikely to result in a risk', () => {
    const status = clockStatus({
      awareAt: new Date('2026-01-01T00:00:00Z'),
      now: new Date('2026-02-01T00:00:00Z'),
      authorityNotificationRequired: false,
    });
    assert.equal(status.state, 'not_required');
    assert.equal(status.delayReasonRequired, false);
  });
});
