import dagre from '@dagrejs/dagre';
import type { components } from '../api/schema';

export type ProcedureDefinition = components['schemas']['Procedure'];

/** The terminal nodes' ids: `end` is reserved in a procedure (no step may be called so), `start` may not be, hence the prefix. */
export const END = 'end';
export const START = '__start';

export type Move = 'up' | 'down' | undefined;

/** StepNode is a box of the diagram: a step, or the start and end terminals. */
export type StepNode = {
  id: string;
  kind: 'step' | 'start' | 'end';
  label: string;
  current: boolean;
  unreachable: boolean;
  /** No chain of outcomes leads from the step to `end` (the studio's check). */
  trapped?: boolean;
};

/** StepEdge is the way from one step to the next, labelled with the outcomes that take it. */
export type StepEdge = {
  id: string;
  source: string;
  target: string;
  /** The outcomes' names, joined when several lead the same way. */
  label: string;
  outcomes: string[];
  move: Move;
  /** An escalation or hand-down that returns to the same step at another level. */
  loop: boolean;
};

export interface StepGraph {
  nodes: StepNode[];
  edges: StepEdge[];
}

export interface GraphOptions {
  current?: string;
  unreachable?: readonly string[];
  trapped?: readonly string[];
  en?: boolean;
  /** The start and end terminals' labels. */
  startLabel?: string;
  endLabel?: string;
}

const moveOf = (m?: string): Move => (m === 'up' || m === 'down' ? m : undefined);

/**
 * buildGraph turns a procedure definition, as GET /v1/procedures/{key}/versions/{version}
 * returns it, into the diagram's nodes and edges, apart from drawing them: a node per step, a
 * start terminal before the start step and an end terminal when an outcome ends the case; an
 * edge per way out of a step, the outcomes that lead the same way (same target, same move)
 * merged into one edge with their names joined.
 */
export function buildGraph(def: Pick<ProcedureDefinition, 'steps' | 'start'>, o: GraphOptions = {}): StepGraph {
  const steps = def.steps ?? [];
  const unreachable = new Set(o.unreachable ?? []);
  const nodes: StepNode[] = [];
  const edges: StepEdge[] = [];
  const byKey = new Map<string, StepEdge>();
  const start = def.start || steps[0]?.id;
  const known = new Set(steps.map((s) => s.id));
  if (start && known.has(start)) {
    nodes.push({ id: START, kind: 'start', label: o.startLabel ?? '开始', current: false, unreachable: false });
    edges.push({ id: `${START}->${start}`, source: START, target: start, label: '', outcomes: [], move: undefined, loop: false });
  }
  let ends = false;
  for (const s of steps) {
    nodes.push({
      id: s.id, kind: 'step', label: (o.en && s.name_en) || s.name || s.id,
      current: s.id === o.current, unreachable: unreachable.has(s.id), trapped: o.trapped?.includes(s.id),
    });
    for (const out of s.outcomes ?? []) {
      const target = out.next || END;
      if (target === END) ends = true;
      else if (!known.has(target)) continue; // a draft may name a step not written yet
      const move = moveOf(out.move);
      const key = `${s.id}->${target}${move ? `:${move}` : ''}`;
      const name = (o.en && out.name_en) || out.name || out.id;
      const e = byKey.get(key);
      if (e) {
        e.outcomes.push(out.id);
        e.label = `${e.label}／${name}`;
        continue;
      }
      const edge: StepEdge = { id: key, source: s.id, target, label: name, outcomes: [out.id], move, loop: target === s.id };
      byKey.set(key, edge);
      edges.push(edge);
    }
  }
  if (ends) nodes.push({ id: END, kind: 'end', label: o.endLabel ?? '办结', current: false, unreachable: false });
  return { nodes, edges };
}

export type Box = {
  x: number;
  y: number;
  width: number;
  height: number;
};

/** The size of a node's box: wide enough for its name (a CJK character is about one em). */
export function boxSize(n: StepNode): { width: number; height: number } {
  if (n.kind !== 'step') return { width: 72, height: 32 };
  const em = [...n.label].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 1 : 0.55), 0);
  return { width: Math.max(120, Math.min(240, Math.round(em * 14 + 32))), height: 44 };
}

/** The width in pixels of a text at 12px: a CJK character is about one em, a Latin letter about half. */
export function textWidth(text: string, px = 12): number {
  return Math.ceil([...text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? px : px * 0.6), 0));
}

/** The widest an edge label is drawn; a longer one wraps. */
export const labelMax = 168;

export type Point = { x: number; y: number };

/** Way is where an edge runs: the points dagre routed it through (around the boxes) and where its label sits. */
export type Way = { points: Point[]; label: Point & { width: number; height: number } };

export type Layout = { boxes: Map<string, Box>; ways: Map<string, Way>; width: number; height: number };

/** labelBox is the room an edge's label takes: at most labelMax wide, wrapped into lines of 18px. */
export function labelBox(text: string): { width: number; height: number } {
  if (!text) return { width: 0, height: 0 };
  const w = textWidth(text) + 8;
  return { width: Math.min(labelMax, w), height: 18 * Math.ceil(w / labelMax) };
}

/**
 * layout places the nodes top to bottom with dagre and routes the edges around them (the loops
 * left out: they are drawn beside their node): each node's box, its top-left corner first as
 * xyflow positions it, and each edge's points and label position.
 */
export function layout(g: StepGraph): Layout {
  const d = new dagre.graphlib.Graph({ multigraph: true });
  d.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 28, edgesep: 16, marginx: 56, marginy: 8 });
  d.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) d.setNode(n.id, boxSize(n));
  for (const e of g.edges) {
    if (!e.loop) d.setEdge(e.source, e.target, { ...labelBox(e.label), labelpos: 'c' }, e.id);
  }
  dagre.layout(d);
  const boxes = new Map<string, Box>();
  for (const n of g.nodes) {
    const p = d.node(n.id);
    boxes.set(n.id, { x: p.x - p.width / 2, y: p.y - p.height / 2, width: p.width, height: p.height });
  }
  const ways = new Map<string, Way>();
  for (const e of g.edges) {
    if (e.loop) continue;
    const w = d.edge(e.source, e.target, e.id) as { points: Point[]; x: number; y: number; width: number; height: number };
    ways.set(e.id, { points: w.points.map((p) => ({ x: p.x, y: p.y })), label: { x: w.x, y: w.y, width: w.width, height: w.height } });
  }
  const gr = d.graph();
  return { boxes, ways, width: gr.width ?? 0, height: gr.height ?? 0 };
}
