import { describe, expect, it } from 'vitest';
import { placeProblems } from './problems';

describe('placeProblems', () => {
  it('puts a problem at an item of a list edited in one control under the control, naming the item', () => {
    const problem = {
      status: 422, title: 'Unprocessable Entity',
      errors: [
        { location: 'body.cases[2]', message: '您的范围内没有这个编号的案件', value: 'WS-MED-2020-999999' },
        { location: 'body.decisions[1].due', message: '须有期限' },
      ],
    };
    expect(placeProblems(problem, 'HTTP 422', ['cases', 'decisions'], ['cases'])).toEqual({
      placed: [
        { name: ['cases'], errors: ['WS-MED-2020-999999：您的范围内没有这个编号的案件'] },
        { name: ['decisions', 1, 'due'], errors: ['须有期限'] },
      ],
      rest: [],
    });
  });
});
