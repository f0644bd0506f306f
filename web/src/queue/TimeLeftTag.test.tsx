import { cleanup, render, screen } from '@testing-library/react';
import dayjs from 'dayjs';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { TimeLeftTag } from './TimeLeftTag';
import { weekendsOnly } from './timeLeft';

const task = (due_at: string | undefined, overdue = false) => ({ due_at, overdue, warned: false, suspended: false });
const now = dayjs('2026-11-26T09:00'); // a Thursday

afterEach(cleanup);

describe('TimeLeftTag', () => {
  it('says the working days left in Chinese, coloured by urgency', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<TimeLeftTag task={task('2026-12-03T17:00')} now={now} calendar={weekendsOnly} />);
    const tag = screen.getByText('剩 5 个工作日');
    expect(tag.getAttribute('data-urgency')).toBe('ok');
  });

  it('marks an overdue task red and a task due today orange', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<TimeLeftTag task={task('2026-11-20T17:00', true)} now={now} calendar={weekendsOnly} />);
    expect(screen.getByText('逾期 4 个工作日').getAttribute('data-urgency')).toBe('overdue');
    render(<TimeLeftTag task={task('2026-11-26T17:00')} now={now} calendar={undefined} />);
    expect(screen.getByText('今日到期（剩 8 小时）').getAttribute('data-urgency')).toBe('soon');
  });

  it('speaks English when switched, and says when there is no deadline', async () => {
    await i18n.changeLanguage('en');
    render(<TimeLeftTag task={task('2026-11-27T17:00')} now={now} calendar={weekendsOnly} />);
    expect(screen.getByText('1 working day left')).toBeTruthy();
    render(<TimeLeftTag task={task('2026-11-30T17:00')} now={now} calendar={weekendsOnly} />);
    expect(screen.getByText('2 working days left')).toBeTruthy();
    render(<TimeLeftTag task={task(undefined)} now={now} calendar={weekendsOnly} />);
    expect(screen.getByText('No deadline')).toBeTruthy();
    await i18n.changeLanguage('zh-CN');
  });
});
