// Adds diagram information (DI) to BPMN models: node layout.mjs <file.bpmn>...
// Any existing DI is replaced, so the script can be run again after editing the process XML.
// bpmn-auto-layout places the shapes; the touch-ups below fix what it leaves for a reviewer:
// exception paths (after a boundary event) sharing a row with the main flow, branches that share
// the gateway's right corner, repeated bend points and missing label positions.
import { readFile, writeFile } from 'node:fs/promises';
import { layoutProcess } from 'bpmn-auto-layout';
import { BpmnModdle } from 'bpmn-moddle';

const DIAGRAM = /\s*<bpmndi:BPMNDiagram\b[\s\S]*<\/bpmndi:BPMNDiagram>/;
const LABEL_WIDTH = 90;
const LINE_HEIGHT = 14;
const CHAR_WIDTH = 6;
const ROW_GAP = 60;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node layout.mjs <file.bpmn>...');
  process.exit(2);
}

for (const file of files) {
  const source = await readFile(file, 'utf8');
  const laidOut = await layoutProcess(source.replace(DIAGRAM, ''));
  const result = await touchUp(laidOut);
  await writeFile(file, result.endsWith('\n') ? result : result + '\n');
  console.log(`laid out ${file}`);
}

async function touchUp(xml) {
  const moddle = new BpmnModdle();
  const { rootElement: definitions } = await moddle.fromXML(xml);
  const point = (x, y) => moddle.create('dc:Point', { x, y });
  const label = (x, y, width, height) =>
    moddle.create('bpmndi:BPMNLabel', { bounds: moddle.create('dc:Bounds', { x, y, width, height }) });

  for (const diagram of definitions.diagrams) {
    const items = diagram.plane.planeElement;
    const shapes = new Map(items.filter(i => i.$type === 'bpmndi:BPMNShape').map(s => [s.bpmnElement.id, s.bounds]));
    const edges = items.filter(i => i.$type === 'bpmndi:BPMNEdge');
    moveExceptionPathsBelow(items, shapes, edges, point);

    for (const edge of edges) {
      const flow = edge.bpmnElement;
      const source = shapes.get(flow.sourceRef.id);
      const target = shapes.get(flow.targetRef.id);
      if (isGateway(flow.sourceRef) && leavesRightThenTurns(edge, source)) {
        // Leave from the top or bottom corner so that each branch of the gateway starts on its own corner.
        const x = source.x + source.width / 2;
        const targetMiddle = target.y + target.height / 2;
        const y = targetMiddle > source.y + source.height ? source.y + source.height : source.y;
        edge.waypoint = [point(x, y), point(x, targetMiddle), point(target.x, targetMiddle)];
      }
      edge.waypoint = simplify(edge.waypoint);
      if (flow.name) {
        const [first, second] = edge.waypoint;
        const lines = lineCount(flow.name);
        const vertical = first.x === second.x;
        edge.label = vertical
          ? label(first.x + 6, (first.y + second.y) / 2 - (lines * LINE_HEIGHT) / 2, LABEL_WIDTH, lines * LINE_HEIGHT)
          : label(first.x + 8, first.y - lines * LINE_HEIGHT - 4, LABEL_WIDTH, lines * LINE_HEIGHT);
      }
    }

    for (const shape of items.filter(i => i.$type === 'bpmndi:BPMNShape')) {
      const element = shape.bpmnElement;
      const name = element.name;
      if (!name || !(isEvent(element) || isGateway(element))) {
        continue;
      }
      const b = shape.bounds;
      const height = lineCount(name) * LINE_HEIGHT;
      if (element.$type === 'bpmn:BoundaryEvent') {
        // Below-right of the event: the outgoing flow runs straight down from its centre.
        shape.label = label(b.x + b.width + 4, b.y + b.height, LABEL_WIDTH, height);
      } else if (isGateway(element)) {
        // Above the gateway: branches and merges use its bottom corner.
        shape.label = label(b.x + b.width / 2 - LABEL_WIDTH / 2, b.y - height - 6, LABEL_WIDTH, height);
      } else {
        shape.label = label(b.x + b.width / 2 - LABEL_WIDTH / 2, b.y + b.height + 5, LABEL_WIDTH, height);
      }
    }
  }
  const { xml: result } = await moddle.toXML(definitions, { format: true });
  return result;
}

// Puts what follows a boundary event on a row of its own below everything else, so that an
// exception path never shares a row (and crossings) with the branches of the normal flow.
function moveExceptionPathsBelow(items, shapes, edges, point) {
  const boundaryEvents = items
    .filter(i => i.$type === 'bpmndi:BPMNShape' && i.bpmnElement.$type === 'bpmn:BoundaryEvent')
    .map(i => i.bpmnElement);
  for (const boundary of boundaryEvents) {
    const branch = new Set();
    const pending = (boundary.outgoing || []).map(flow => flow.targetRef);
    while (pending.length > 0) {
      const node = pending.pop();
      if (!branch.has(node.id) && shapes.has(node.id)) {
        branch.add(node.id);
        (node.outgoing || []).forEach(flow => pending.push(flow.targetRef));
      }
    }
    if (branch.size === 0) {
      continue;
    }
    const others = [...shapes.entries()].filter(([id]) => !branch.has(id) && id !== boundary.id);
    const lowestOther = Math.max(...others.map(([, b]) => b.y + b.height));
    const topOfBranch = Math.min(...[...branch].map(id => shapes.get(id).y));
    const dy = lowestOther + ROW_GAP - topOfBranch;
    if (dy <= 0) {
      continue;
    }
    branch.forEach(id => { shapes.get(id).y += dy; });
    for (const edge of edges) {
      const flow = edge.bpmnElement;
      if (branch.has(flow.sourceRef.id)) {
        edge.waypoint.forEach(p => { p.y += dy; });
      } else if (flow.sourceRef.id === boundary.id) {
        const from = shapes.get(boundary.id);
        const to = shapes.get(flow.targetRef.id);
        const x = from.x + from.width / 2;
        const y = to.y + to.height / 2;
        edge.waypoint = [point(x, from.y + from.height), point(x, y), point(to.x, y)];
      }
    }
  }
}

function isGateway(element) {
  return element.$type.endsWith('Gateway');
}

function isEvent(element) {
  return element.$type.endsWith('Event');
}

function leavesRightThenTurns(edge, source) {
  const [first, second] = edge.waypoint;
  const rightMiddle = first.x === source.x + source.width && first.y === source.y + source.height / 2;
  const turns = edge.waypoint.some(p => p.y !== first.y);
  return rightMiddle && turns && second.y === first.y;
}

// Drops repeated points and points in the middle of a straight segment.
function simplify(points) {
  const unique = points.filter((p, i) => i === 0 || p.x !== points[i - 1].x || p.y !== points[i - 1].y);
  return unique.filter((p, i) => {
    if (i === 0 || i === unique.length - 1) {
      return true;
    }
    const before = unique[i - 1];
    const after = unique[i + 1];
    return !((before.x === p.x && p.x === after.x) || (before.y === p.y && p.y === after.y));
  });
}

function lineCount(text) {
  return Math.max(1, Math.ceil((text.length * CHAR_WIDTH) / LABEL_WIDTH));
}
