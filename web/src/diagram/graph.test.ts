import { describe, expect, it } from 'vitest';
import { buildGraph, END, layout, START, type ProcedureDefinition } from './graph';

// The petition procedure's shape (definitions/library/petition.yaml), cut down.
const petition = {
  start: 'intake',
  steps: [
    {
      id: 'intake', name: '登记', name_en: 'Register', outcomes: [
        { id: 'on_spot', name: '当场办结', next: 'close' },
        { id: 'register', name: '登记受理', next: 'accept' },
        { id: 'redirect', name: '引导分类处理', next: 'end' },
        { id: 'escalate', name: '上报', next: 'intake', move: 'up' },
      ],
    },
    {
      id: 'accept', name: '受理', outcomes: [
        { id: 'accept', name: '受理', next: 'handle' },
        { id: 'decline', name: '不予受理', next: 'end' },
        { id: 'transfer', name: '转送', next: 'end' },
      ],
    },
    {
      id: 'handle', name: '办理', outcomes: [
        { id: 'opinion', name: '出具意见', next: 'close' },
        { id: 'escalate', name: '上报', next: 'handle', move: 'up' },
        { id: 'hand_down', name: '交办下级', next: 'handle', move: 'down' },
      ],
    },
    { id: 'close', name: '办结', outcomes: [{ id: 'close', name: '答复', next: 'end' }] },
    { id: 'orphan', name: '无人到达', outcomes: [{ id: 'x', name: '去往未写的环节', next: 'later' }] },
  ],
} as unknown as ProcedureDefinition;

describe('buildGraph', () => {
  const g = buildGraph(petition, { current: 'accept', unreachable: ['orphan'] });

  it('draws a node per step, a start before the start step and an end terminal', () => {
    expect(g.nodes.map((n) => n.id)).toEqual([START, 'intake', 'accept', 'handle', 'close', 'orphan', END]);
    expect(g.nodes.find((n) => n.id === END)?.kind).toBe('end');
    expect(g.edges[0]).toMatchObject({ source: START, target: 'intake' });
  });

  it('highlights the current step and marks the unreachable ones', () => {
    expect(g.nodes.filter((n) => n.current).map((n) => n.id)).toEqual(['accept']);
    expect(g.nodes.filter((n) => n.unreachable).map((n) => n.id)).toEqual(['orphan']);
  });

  it('labels each edge with its outcomes, merging those that lead the same way', () => {
    const fromAccept = g.edges.filter((e) => e.source === 'accept');
    expect(fromAccept.map((e) => [e.target, e.label])).toEqual([['handle', '受理'], [END, '不予受理／转送']]);
    expect(fromAccept[1]!.outcomes).toEqual(['decline', 'transfer']);
  });

  it('keeps escalations and hand-downs apart, as loops when they stay on the step', () => {
    const loops = g.edges.filter((e) => e.source === 'handle' && e.loop);
    expect(loops.map((e) => e.move)).toEqual(['up', 'down']);
    expect(g.edges.find((e) => e.id === 'intake->intake:up')?.label).toBe('上报');
    expect(g.edges.filter((e) => !e.move && !e.loop).every((e) => e.source !== e.target)).toBe(true);
  });

  it('leaves out an outcome that names a step not written yet', () => {
    expect(g.edges.some((e) => e.source === 'orphan')).toBe(false);
  });

  it('names steps in English on request', () => {
    expect(buildGraph(petition, { en: true }).nodes.find((n) => n.id === 'intake')?.label).toBe('Register');
  });
});

describe('layout', () => {
  it('places every node, the start above the end', () => {
    const g = buildGraph(petition);
    const { boxes, ways } = layout(g);
    expect([...boxes.keys()].sort()).toEqual(g.nodes.map((n) => n.id).sort());
    expect(boxes.get(START)!.y).toBeLessThan(boxes.get('intake')!.y);
    expect(boxes.get('intake')!.y).toBeLessThan(boxes.get('handle')!.y);
    expect(boxes.get('close')!.y).toBeLessThan(boxes.get(END)!.y);
    // Every edge but the loops is routed, from its source's box to its target's.
    expect([...ways.keys()].sort()).toEqual(g.edges.filter((e) => !e.loop).map((e) => e.id).sort());
    const w = ways.get('accept->handle')!;
    expect(w.points[0]!.y).toBeGreaterThanOrEqual(boxes.get('accept')!.y);
    expect(w.points.at(-1)!.y).toBeLessThanOrEqual(boxes.get('handle')!.y + 1);
    expect(w.label.width).toBeGreaterThan(0);
  });
});
