import '@xyflow/react/dist/style.css';
import './messages';
import {
  BaseEdge, Controls, EdgeLabelRenderer, Handle, MarkerType, Position, ReactFlow,
  type Edge, type EdgeProps, type Node, type NodeProps,
} from '@xyflow/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { buildGraph, labelMax, layout, type Box, type Move, type Point, type ProcedureDefinition, type StepEdge, type StepNode, type Way as Route } from './graph';

/** The colours of the three kinds of way, each 4.5:1 or more on white (labels are drawn in them). */
export const moveColor: Record<'next' | 'up' | 'down', string> = { next: '#595959', up: '#ad4e00', down: '#006d75' };
const dash = { up: '8 4', down: '2 4' } as const;
const arrow = (m: Move) => (m === 'up' ? '↑ ' : m === 'down' ? '↓ ' : '');

type StepData = StepNode & { box: Box };
type WayData = StepEdge & { box: Box; route?: Route };

/** smooth is an SVG path through the points dagre routed: straight ends, rounded bends. */
export function smooth(points: Point[]): string {
  if (points.length < 3) return points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
  let d = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const q = points[i + 1]!;
    d += ` Q ${p.x} ${p.y} ${(p.x + q.x) / 2} ${(p.y + q.y) / 2}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L ${last.x} ${last.y}`;
}

function StepBox({ data: n }: NodeProps<Node<StepData>>) {
  const { t } = useTranslation();
  const terminal = n.kind !== 'step';
  const style: React.CSSProperties = {
    width: n.box.width, height: n.box.height, display: 'flex', alignItems: 'center', justifyContent: 'center',
    flexDirection: 'column', padding: '0 8px', fontSize: 13, lineHeight: 1.3, textAlign: 'center',
    borderRadius: terminal ? n.box.height / 2 : 6, border: '1px solid #8c8c8c', background: '#fff', color: 'rgba(0,0,0,0.88)',
  };
  if (n.kind === 'end') Object.assign(style, { background: '#262626', color: '#fff', borderColor: '#262626' });
  if (n.kind === 'start') Object.assign(style, { background: '#f0f0f0' });
  if (n.current) Object.assign(style, { background: '#0958d9', color: '#fff', borderColor: '#003eb3', fontWeight: 600, boxShadow: '0 0 0 4px rgba(9,88,217,0.25)' });
  if (n.unreachable) Object.assign(style, { borderStyle: 'dashed', color: 'rgba(0,0,0,0.6)', background: '#fafafa' });
  if (n.trapped) Object.assign(style, { borderColor: '#cf1322', borderWidth: 2 });
  return (
    <div style={style} data-testid={n.current ? 'diagram-current' : `diagram-node-${n.id}`} title={n.label}>
      <Handle type="target" position={Position.Top} style={{ opacity: 0 }} isConnectable={false} />
      <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: '100%' }}>{n.label}</span>
      {n.current && <span style={{ fontSize: 11, fontWeight: 'normal' }}>{t('diagram.current')}</span>}
      {n.unreachable && <span style={{ fontSize: 11 }}>{t('diagram.unreachable')}</span>}
      {n.trapped && <span style={{ fontSize: 11, color: '#cf1322' }}>{t('diagram.trapped')}</span>}
      <Handle type="source" position={Position.Bottom} style={{ opacity: 0 }} isConnectable={false} />
    </div>
  );
}

function Label({ x, y, color, text, nowrap }: { x: number; y: number; color: string; text: string; nowrap?: boolean }) {
  if (!text) return null;
  return (
    <EdgeLabelRenderer>
      <div
        className="nodrag nopan"
        style={{
          position: 'absolute', transform: `translate(-50%, -50%) translate(${x}px, ${y}px)`, fontSize: 12, color,
          background: 'rgba(255,255,255,0.92)', padding: '0 4px', borderRadius: 3, whiteSpace: nowrap ? 'nowrap' : 'normal',
          maxWidth: labelMax, width: 'max-content', lineHeight: '18px', textAlign: 'center', pointerEvents: 'all',
        }}
        title={text}
      >
        {text}
      </div>
    </EdgeLabelRenderer>
  );
}

/** Way is an outcome's edge: a curve to the next step, or a loop beside the step for an escalation or hand-down that stays on it. */
function Way(p: EdgeProps<Edge<WayData>>) {
  const e = p.data!;
  const color = moveColor[e.move ?? 'next'];
  const style = { stroke: color, strokeWidth: e.move ? 1.8 : 1.4, strokeDasharray: e.move ? dash[e.move] : undefined };
  let path: string;
  let lx: number;
  let ly: number;
  if (e.loop) {
    // Up on the right of the box, down on its left, so both can be told apart at a glance.
    const b = e.box;
    const right = e.move !== 'down';
    const x = right ? b.x + b.width : b.x;
    const out = right ? 36 : -36;
    const y1 = b.y + b.height * 0.75;
    const y2 = b.y + b.height * 0.25;
    path = `M ${x} ${y1} C ${x + out} ${y1 + 10}, ${x + out} ${y2 - 10}, ${x} ${y2}`;
    lx = x + out + (right ? 1 : -1) * (8 + Math.min(160, [...e.label].length * 12 + 16) / 2);
    ly = b.y + b.height / 2;
  } else if (e.route) {
    path = smooth(e.route.points);
    lx = e.route.label.x;
    ly = e.route.label.y;
  } else {
    path = `M ${p.sourceX} ${p.sourceY} L ${p.targetX} ${p.targetY}`;
    lx = (p.sourceX + p.targetX) / 2;
    ly = (p.sourceY + p.targetY) / 2;
  }
  return (
    <>
      <BaseEdge id={p.id} path={path} markerEnd={p.markerEnd} style={style} />
      <Label x={lx} y={ly} color={color} text={`${arrow(e.move)}${e.label}`} nowrap={e.loop} />
    </>
  );
}

const nodeTypes = { step: StepBox };
const edgeTypes = { way: Way };

export interface StepDiagramProps {
  /** The procedure version, as GET /v1/procedures/{key}/versions/{version} returns it. */
  procedure: ProcedureDefinition;
  /** The step to highlight: where the case is now. */
  current?: string;
  /** Steps to mark as unreachable (the studio's validation). */
  unreachable?: readonly string[];
  /** Steps to mark as having no way to `end` (the studio's validation). */
  trapped?: readonly string[];
  /** Height of the drawing in pixels; the diagram is fitted into it. */
  height?: number;
}

/**
 * StepDiagram draws a procedure's steps and outcomes: edges labelled with the outcomes' names,
 * escalations (move: up) and hand-downs (move: down) dashed in colours of their own, `end` as a
 * terminal, the current step highlighted. Layout (graph.ts, dagre) is apart from drawing (xyflow),
 * so the procedure studio can reuse both.
 */
export function StepDiagram({ procedure, current, unreachable, trapped, height }: StepDiagramProps) {
  const { t, i18n } = useTranslation();
  const en = !i18n.language.startsWith('zh');
  const { nodes, edges, h } = useMemo(() => {
    const g = buildGraph(procedure, { current, unreachable, trapped, en, startLabel: t('diagram.start'), endLabel: t('diagram.end') });
    const { boxes, ways, height } = layout(g);
    const nodes: Node<StepData>[] = g.nodes.map((n) => {
      const box = boxes.get(n.id)!;
      return {
        id: n.id, type: 'step', position: { x: box.x, y: box.y }, data: { ...n, box }, width: box.width, height: box.height,
        draggable: false, selectable: false, connectable: false, focusable: false,
      };
    });
    const edges: Edge<WayData>[] = g.edges.map((e) => ({
      id: e.id, source: e.source, target: e.target, type: 'way', data: { ...e, box: boxes.get(e.source)!, route: ways.get(e.id) },
      markerEnd: { type: MarkerType.ArrowClosed, color: moveColor[e.move ?? 'next'], width: 16, height: 16 },
      selectable: false, focusable: false,
    }));
    return { nodes, edges, h: height + 16 };
  }, [procedure, current, unreachable, trapped, en, t]);
  const name = (en && procedure.name_en) || procedure.name;
  const currentName = nodes.find((n) => n.data.current)?.data.label;

  return (
    <figure style={{ margin: 0 }} data-testid="step-diagram">
      <div style={{ height: height ?? Math.min(960, Math.max(240, h)), border: '1px solid #f0f0f0', borderRadius: 6 }} role="group" aria-label={t('diagram.label', { name })}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          fitView
          fitViewOptions={{ padding: 0.02, maxZoom: 1 }}
          minZoom={0.3}
          maxZoom={1.5}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          zoomOnScroll={false}
          preventScrolling={false}
          proOptions={{ hideAttribution: true }}
        >
          <Controls showInteractive={false} position="top-right" />
        </ReactFlow>
      </div>
      <figcaption style={{ display: 'flex', gap: 16, flexWrap: 'wrap', marginTop: 8, fontSize: 12, color: 'rgba(0,0,0,0.65)' }}>
        {currentName && <span>{t('diagram.currentIs', { step: currentName })}</span>}
        {(['next', 'up', 'down'] as const).map((m) => (
          <span key={m} style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
            <svg width="32" height="8" aria-hidden="true">
              <line x1="0" y1="4" x2="32" y2="4" stroke={moveColor[m]} strokeWidth="2" strokeDasharray={m === 'next' ? undefined : dash[m]} />
            </svg>
            <span style={{ color: moveColor[m] }}>{arrow(m === 'next' ? undefined : m)}{t(`diagram.${m}`)}</span>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
