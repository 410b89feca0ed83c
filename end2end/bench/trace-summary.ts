// What a Chromium trace says of the page's long main-thread tasks: for each
// task over 50 ms, its biggest nested events and the functions the sampling
// profiler caught running in it. Used by wizard.profile.ts.

type TraceEvent = {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: any;
};

type Sample = { at: number; frame: string };

/** The categories the summary reads. */
export const TRACE_CATEGORIES = [
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8",
  "v8.execute",
  "disabled-by-default-v8.cpu_profiler",
  "blink",
  "loading",
];

const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;

function eventLabel(e: TraceEvent): string {
  const data = e.args?.data ?? {};
  const detail = data.functionName || data.url || data.type || data.name || "";
  return detail ? `${e.name} (${String(detail).split("/").pop()})` : e.name;
}

/** Every sampled stack top of the trace's CPU profiles, with its time. */
function samples(events: TraceEvent[]): Map<string, Sample[]> {
  const byThread = new Map<string, Sample[]>();
  const nodes = new Map<string, Map<number, string>>();
  const clock = new Map<string, number>();
  // The profiled thread is the Profile event's; its chunks come from the
  // sampling thread.
  const profiled = new Map<string, string>();
  for (const e of events) {
    const key = `${e.pid}:${e.id}`;
    if (e.name === "Profile") {
      clock.set(key, e.args?.data?.startTime ?? e.ts);
      nodes.set(key, new Map());
      profiled.set(key, `${e.pid}:${e.tid}`);
    }
  }
  for (const e of events) {
    if (e.name !== "ProfileChunk") continue;
    const key = `${e.pid}:${e.id}`;
    const profile = e.args?.data?.cpuProfile;
    const known = nodes.get(key);
    if (!profile || !known) continue;
    for (const node of profile.nodes ?? []) {
      const frame = node.callFrame ?? {};
      const where = String(frame.url ?? "").split("/").pop();
      known.set(node.id, `${frame.functionName || "(anonymous)"}${where ? ` ${where}` : ""}`);
    }
    const deltas: number[] = e.args?.data?.timeDeltas ?? [];
    let at = clock.get(key) ?? 0;
    const thread = profiled.get(key) ?? `${e.pid}:${e.tid}`;
    const list = byThread.get(thread) ?? [];
    (profile.samples ?? []).forEach((id: number, i: number) => {
      at += deltas[i] ?? 0;
      list.push({ at, frame: known.get(id) ?? `node ${id}` });
    });
    clock.set(key, at);
    byThread.set(thread, list);
  }
  return byThread;
}

/** Lines describing each main-thread task over `overUs` microseconds. */
export function longTaskSummary(json: string, overUs = 50_000): string[] {
  const events: TraceEvent[] = JSON.parse(json).traceEvents ?? JSON.parse(json);
  const mainThreads = new Set(
    events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events.filter((e) => e.ph === "X" && mainThreads.has(`${e.pid}:${e.tid}`));
  const sampled = samples(events);
  const tasks = onMain.filter((e) => e.name === "RunTask" && (e.dur ?? 0) > overUs).sort((a, b) => a.ts - b.ts);
  const lines: string[] = [];
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    lines.push(`task ${ms(task.dur ?? 0)}`);
    const inside = onMain
      .filter((e) => e !== task && e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end)
      .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    // Nesting by a stack of the events still open.
    const open: TraceEvent[] = [];
    for (const e of inside) {
      while (open.length && open[open.length - 1].ts + (open[open.length - 1].dur ?? 0) <= e.ts) open.pop();
      if ((e.dur ?? 0) >= 2_000 && open.length < 6) lines.push(`  ${"  ".repeat(open.length)}${eventLabel(e)} ${ms(e.dur ?? 0)}`);
      open.push(e);
    }
    const counts = new Map<string, number>();
    let total = 0;
    for (const s of sampled.get(`${task.pid}:${task.tid}`) ?? []) {
      if (s.at < task.ts || s.at > end) continue;
      counts.set(s.frame, (counts.get(s.frame) ?? 0) + 1);
      total++;
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15);
    if (total) lines.push(`  sampled (${total} samples): ${top.map(([f, n]) => `${f} ${Math.round((100 * n) / total)}%`).join("; ")}`);
  }
  return lines;
}
