'use client';

import '@xyflow/react/dist/style.css';
import dagre from '@dagrejs/dagre';
import { Background, Controls, getBezierPath, Handle, MiniMap, Position, ReactFlow, type Edge, type EdgeProps, type Node, type NodeProps, type ReactFlowInstance } from '@xyflow/react';
import Link from 'next/link';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DiscoveryGraph, GraphEdge, GraphNode } from '@/lib/data/read-discovery-graph';
import { STRENGTH_COLOUR, STRENGTH_TEXT } from './strength-colours';

const NODE_W = 200;
const NODE_H = 44;
const POLL_MS = 1000;
/** Past this many nodes only what is on screen is rendered. */
const VIRTUALISE_ABOVE = 300;

type MapNode = Node<{ n: GraphNode }, 'entity'>;
type MapEdge = Edge<{ e: GraphEdge; label: string }, 'suite'>;
type Selected = { node: GraphNode } | { edge: GraphEdge; label: string } | null;

const KIND_TONE: Record<GraphNode['kind'], string> = {
  identity: 'border-slate-300 bg-white dark:bg-slate-900',
  source: 'border-red-300 bg-red-50 dark:bg-red-950',
  gateway: 'border-brand-500 bg-brand-50 dark:bg-slate-800',
  upstream: 'border-slate-400 bg-slate-50 dark:bg-slate-800',
  tool: 'border-slate-200 bg-white dark:bg-slate-900',
};

const EntityNode = memo(function EntityNode({ data }: NodeProps<MapNode>) {
  const n = data.n;
  return (
    <div data-node-label={n.label} className={`flex h-[44px] w-[200px] items-center gap-1 rounded-md border px-2 text-xs shadow-sm ${KIND_TONE[n.kind]}`}>
      <Handle type="target" position={Position.Left} className="!h-1 !w-1 !min-w-0 !border-0" />
      <span className="min-w-0 flex-1 truncate font-medium" title={n.label}>
        {n.label}
      </span>
      {n.alerts ? <span aria-label={`${n.alerts} open alerts`} className="rounded bg-red-600 px-1 text-white">⚠ {n.alerts}</span> : null}
      {n.refused ? <span aria-label={`${n.refused} refused calls`} className="rounded bg-amber-500 px-1 text-white">⛔ {n.refused}</span> : null}
      {n.held ? <span aria-label={`${n.held} held tools`} className="rounded bg-slate-600 px-1 text-white">⏸ {n.held}</span> : null}
      <Handle type="source" position={Position.Right} className="!h-1 !w-1 !min-w-0 !border-0" />
    </div>
  );
});

function SuiteEdge({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected }: EdgeProps<MapEdge>) {
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const e = data!.e;
  const width = e.calls ? Math.min(10, 1.5 + Math.log2(1 + e.calls)) : 1.5;
  return (
    <>
      <path
        d={path}
        fill="none"
        className="react-flow__edge-path"
        data-edge={data!.label}
        data-strength={e.strength}
        stroke={STRENGTH_COLOUR[e.strength]}
        strokeWidth={selected ? width + 2 : width}
        strokeDasharray={e.strength === 'alert' ? '6 4' : undefined}
        style={{ stroke: STRENGTH_COLOUR[e.strength], strokeWidth: selected ? width + 2 : width }}
      />
      <path d={path} fill="none" strokeOpacity={0} strokeWidth={14} className="react-flow__edge-interaction" />
    </>
  );
}

const nodeTypes = { entity: EntityNode };
const edgeTypes = { suite: SuiteEdge };

/** Lays out the whole graph left to right with dagre. */
function dagreLayout(graph: DiscoveryGraph): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 120 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  for (const e of graph.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return new Map(graph.nodes.map((n) => {
    const p = g.node(n.id);
    return [n.id, { x: p.x - NODE_W / 2, y: p.y - NODE_H / 2 }];
  }));
}

/**
 * Keeps every known node where it is and places new ones at the foot of their column, so live
 * updates never make the layout jump; a full dagre layout runs on first load and on request.
 */
function placeNew(graph: DiscoveryGraph, positions: Map<string, { x: number; y: number }>): void {
  const fresh = graph.nodes.filter((n) => !positions.has(n.id));
  if (!fresh.length) return;
  if (positions.size === 0) {
    for (const [id, p] of dagreLayout(graph)) positions.set(id, p);
    return;
  }
  const kindOf = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  const column = new Map<string, { x: number; bottom: number }>();
  for (const [id, p] of positions) {
    const kind = kindOf.get(id);
    if (!kind) continue;
    const key = kind === 'source' ? 'identity' : kind;
    const c = column.get(key);
    column.set(key, { x: c?.x ?? p.x, bottom: Math.max(c?.bottom ?? -Infinity, p.y) });
  }
  const fallback = dagreLayout(graph);
  for (const n of fresh) {
    const key = n.kind === 'source' ? 'identity' : n.kind;
    const c = column.get(key);
    const p = c ? { x: c.x, y: c.bottom + NODE_H + 12 } : fallback.get(n.id)!;
    positions.set(n.id, p);
    column.set(key, { x: p.x, bottom: p.y });
  }
}

const edgeLabel = (graph: DiscoveryGraph, e: GraphEdge) => {
  const name = (id: string) => (id === 'gateway' ? 'gateway' : (graph.nodes.find((n) => n.id === id)?.label ?? id));
  return `${name(e.source)} → ${name(e.target)}`;
};

/** The live discovery map: polls its route every second and re-renders only what changed. */
export function DiscoveryMap({ initial, query, focus }: { initial: DiscoveryGraph; query: string; focus?: string }) {
  const [graph, setGraph] = useState(initial);
  const [selected, setSelected] = useState<Selected>(null);
  const [layoutVersion, setLayoutVersion] = useState(0);
  const positions = useRef(new Map<string, { x: number; y: number }>());
  const previous = useRef(new Map<string, { key: string; node: MapNode }>());
  const flow = useRef<ReactFlowInstance<MapNode, MapEdge> | null>(null);

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      if (document.visibilityState !== 'visible') return;
      try {
        const res = await fetch(`/api/discovery/graph?${query}`, { cache: 'no-store' });
        if (res.ok && !stopped) setGraph((await res.json()) as DiscoveryGraph);
      } catch {
        // A missed poll is retried on the next tick.
      }
    };
    const timer = setInterval(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [query]);

  const nodes = useMemo(() => {
    void layoutVersion;
    placeNew(graph, positions.current);
    const next = new Map<string, { key: string; node: MapNode }>();
    const out = graph.nodes.map((n) => {
      const p = positions.current.get(n.id)!;
      const key = `${n.label}|${n.alerts}|${n.refused}|${n.held}|${n.calls}|${p.x}|${p.y}`;
      const prior = previous.current.get(n.id);
      // Unchanged nodes keep their object, so React Flow skips them.
      const node = prior && prior.key === key ? prior.node : { id: n.id, type: 'entity' as const, position: p, data: { n }, width: NODE_W, height: NODE_H };
      next.set(n.id, { key, node });
      return node;
    });
    previous.current = next;
    return out;
  }, [graph, layoutVersion]);

  const edges = useMemo<MapEdge[]>(() => graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, type: 'suite', data: { e, label: edgeLabel(graph, e) } })), [graph]);

  const onInit = useCallback(
    (instance: ReactFlowInstance<MapNode, MapEdge>) => {
      flow.current = instance;
      const target = focus ? positions.current.get(focus) : undefined;
      if (target) {
        instance.setCenter(target.x + NODE_W / 2, target.y + NODE_H / 2, { zoom: 1.2 });
        const n = graph.nodes.find((x) => x.id === focus);
        if (n) setSelected({ node: n });
      }
    },
    // Only the first render focuses; later polls must not move the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  function relayout() {
    positions.current.clear();
    setLayoutVersion((v) => v + 1);
    requestAnimationFrame(() => void flow.current?.fitView());
  }

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_18rem]">
      <div className="relative h-[70vh] min-h-[28rem] rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950" role="region" aria-label="Discovery map">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onInit={onInit}
          fitView={!focus}
          minZoom={0.05}
          nodesConnectable={false}
          nodesDraggable={false}
          onlyRenderVisibleElements={graph.nodes.length > VIRTUALISE_ABOVE}
          onNodeClick={(_e, n) => setSelected({ node: n.data.n })}
          onEdgeClick={(_e, e) => setSelected({ edge: e.data!.e, label: e.data!.label })}
          onPaneClick={() => setSelected(null)}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
          {graph.nodes.length <= VIRTUALISE_ABOVE ? <MiniMap pannable zoomable /> : null}
        </ReactFlow>
        <button type="button" onClick={relayout} className="absolute right-2 top-2 rounded border border-slate-300 bg-white px-2 py-1 text-xs shadow-sm dark:bg-slate-900">
          Tidy layout
        </button>
      </div>
      <Details selected={selected} graph={graph} />
    </div>
  );
}

function Details({ selected, graph }: { selected: Selected; graph: DiscoveryGraph }) {
  if (!selected) {
    return (
      <aside aria-label="Details" className="rounded-lg border border-slate-200 p-4 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">
        <p>Click a node or an edge for its details and links.</p>
        <p className="mt-2 text-xs">
          {graph.nodes.length} nodes, {graph.edges.length} edges{graph.truncated ? ' (most recent edges only)' : ''}; updated{' '}
          {new Date(graph.generatedAt).toLocaleTimeString('en-GB', { timeZone: 'UTC' })} UTC.
        </p>
      </aside>
    );
  }
  if ('node' in selected) {
    const n = graph.nodes.find((x) => x.id === selected.node.id) ?? selected.node;
    return (
      <aside aria-label="Details" className="space-y-2 rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
        <h2 className="font-semibold">{n.label}</h2>
        <p className="text-xs uppercase text-slate-500">{n.kind}</p>
        <dl className="grid grid-cols-2 gap-1">
          <dt>Calls</dt>
          <dd className="tabular-nums">{n.calls}</dd>
          <dt>Refused</dt>
          <dd className="tabular-nums">{n.refused}</dd>
          <dt>Open alerts</dt>
          <dd className="tabular-nums">{n.alerts}</dd>
          <dt>Held tools</dt>
          <dd className="tabular-nums">{n.held}</dd>
        </dl>
        <ul className="space-y-1">
          {n.href ? (
            <li>
              <Link className="underline" href={n.href}>
                Open {n.kind === 'identity' ? 'identity' : n.kind === 'tool' ? 'tool' : n.kind === 'source' ? 'alerts from this source' : 'servers'}
              </Link>
            </li>
          ) : null}
          {n.alerts ? (
            <li>
              <Link className="underline" href={`/alerts?q=${encodeURIComponent(n.kind === 'tool' ? n.label.split('/')[0]! : n.label)}`}>
                Its alerts
              </Link>
            </li>
          ) : null}
        </ul>
      </aside>
    );
  }
  const e = graph.edges.find((x) => x.id === selected.edge.id) ?? selected.edge;
  return (
    <aside aria-label="Details" className="space-y-2 rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
      <h2 className="font-semibold">{selected.label}</h2>
      <p>
        Weakest suite: <span style={{ color: STRENGTH_COLOUR[e.strength] }}>{STRENGTH_TEXT[e.strength]}</span>
      </p>
      <p className="font-mono text-xs">{e.suites.join(', ') || '—'}</p>
      <dl className="grid grid-cols-2 gap-1">
        <dt>Calls</dt>
        <dd className="tabular-nums">{e.calls}</dd>
        <dt>Refused</dt>
        <dd className="tabular-nums">{e.refused}</dd>
        <dt>Last seen</dt>
        <dd>{e.lastSeenAt ? new Date(e.lastSeenAt).toISOString().slice(0, 19).replace('T', ' ') : '—'}</dd>
      </dl>
      <Link className="underline" href={`/audit?action=gateway.tools/call`}>
        Audit events
      </Link>
    </aside>
  );
}
