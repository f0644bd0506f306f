import { describe, expect, it } from 'vitest';
import { filterOf, paramsOf } from './filter';

describe('search filter in the URL', () => {
  it('reads what the API takes and drops what it would refuse', () => {
    const f = filterOf(new URLSearchParams('q=%E5%BC%A0&status=open&level=moon&received_from=2026-01-01&received_to=tomorrow&x=1&mine=true'));
    expect(f).toEqual({ q: '张', status: 'open', received_from: '2026-01-01', mine: 'true' });
  });
  it('writes the filters back in a stable order, so a shared link reads the same', () => {
    expect(paramsOf({ status: 'closed', matter: 'petition', q: '' }).toString()).toBe('matter=petition&status=closed');
    const again = filterOf(paramsOf({ matter: 'mediation', overdue: 'true', org_unit: 'galutu' }));
    expect(again).toEqual({ matter: 'mediation', overdue: 'true', org_unit: 'galutu' });
  });
});
