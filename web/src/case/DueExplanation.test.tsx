import '../test-setup';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import type { Explanation } from '../api/queries';
import './messages';
import { DueExplanation } from './DueExplanation';

// A 15-day period over the Spring Festival, with a make-up working day and a suspension.
const e: Explanation = {
  from: '2026-02-10T09:00:00+08:00',
  start_day: '2026-02-11',
  period: { amount: 15, unit: 'days' },
  summary: 'due by the end of 2026-02-25 (24:00 Asia/Shanghai): 15 calendar days counted from the day after receipt',
  summary_zh: '2026年2月25日24时前办结：自受理次日起计算15日',
  counted: [{ date: '2026-02-11', kind: 'workday' }, { date: '2026-02-14', kind: 'makeup', reason: '春节调休上班' }],
  skipped: [{ date: '2026-02-16', kind: 'holiday', reason: '春节' }, { date: '2026-02-15', kind: 'weekend', reason: 'weekend' }],
  moved: [{ date: '2026-02-14', kind: 'makeup', reason: '春节调休上班' }],
  suspensions: [{ from: '2026-02-12T10:00:00+08:00', to: '2026-02-13T10:00:00+08:00', reason: '核实' }],
  notes: ['期限届满日为法定休假日的，以休假日结束的次日为期限届满日'],
};

afterEach(cleanup);

describe('DueExplanation', () => {
  it('is one click away: the summary, the days counted and skipped, make-up days, suspensions, notes and the basis', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<DueExplanation explanation={e} basis="信访工作条例第二十二条" />);
    expect(screen.queryByTestId('due-explanation')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '期限说明' }));
    const box = await screen.findByTestId('due-explanation');
    const w = within(box);
    expect(w.getByText(e.summary_zh)).toBeTruthy();
    expect(w.getByText('依据：信访工作条例第二十二条')).toBeTruthy();
    expect(w.getByText('计入的日子')).toBeTruthy();
    expect(w.getByText('不计入的日子')).toBeTruthy();
    expect(w.getByText('2026-02-16（春节）')).toBeTruthy();
    // A reason that only repeats the kind is not shown twice.
    expect(w.getByText('2026-02-11')).toBeTruthy();
    expect(w.getByText('调休上班日')).toBeTruthy();
    expect(w.getByText('中止计时')).toBeTruthy();
    expect(w.getByText('2026-02-12 – 2026-02-13：核实')).toBeTruthy();
    expect(w.getByText(e.notes![0]!)).toBeTruthy();
    expect(screen.getByText('到期时间是怎样算的')).toBeTruthy();
  });

  it('speaks English on an English page, and leaves out what is empty', async () => {
    await i18n.changeLanguage('en');
    render(<DueExplanation explanation={{ ...e, moved: [], suspensions: null, notes: undefined }} />);
    fireEvent.click(screen.getByRole('button', { name: 'How counted' }));
    const w = within(await screen.findByTestId('due-explanation'));
    expect(w.getByText(e.summary)).toBeTruthy();
    expect(w.getByText('Days counted')).toBeTruthy();
    expect(w.queryByText('Make-up working days')).toBeNull();
    expect(w.queryByText('Suspensions')).toBeNull();
    expect(w.queryByText(/^Basis/)).toBeNull();
    await i18n.changeLanguage('zh-CN');
  });
});
