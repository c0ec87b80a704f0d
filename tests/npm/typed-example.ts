// Type-checked (tsc --noEmit) against the installed package by tests/npm/package.test.mjs, with Node's
// resolution (the node/ build's types) and a bundler's (the web/ build's). Every call and every result field
// is used with its declared type, and the @ts-expect-error lines fail the check if a type decays to `any`.
import init, {
  Simulator,
  profiles,
  type AllocEvent,
  type Arch,
  type ArenaAlign,
  type ArenaView,
  type ChunkView,
  type ErrorInfo,
  type Explanation,
  type GcEvent,
  type GcObject,
  type GcState,
  type NameRef,
  type ObjectsView,
  type ObjectView,
  type PoolState,
  type PoolView,
  type Profiles,
  type RunResult,
  type SimulatorOptions,
  type Snapshot,
  type StepView,
} from "pymemsim";

export async function tour(): Promise<string[]> {
  await init();
  const out: string[] = [];
  const p: Profiles = profiles();
  const arch: Arch = p.arches[0];
  const align: ArenaAlign = p.arenaAligns[0];
  const options: SimulatorOptions = { python: p.versions[0].series, arch, arenaAlign: align, memoryLimit: 1 << 30, maxSteps: 1e6 };
  const sim = new Simulator(options);
  const profile: string = sim.profile;
  out.push(profile, p.defaultPython, p.versions[0].release);

  const run: RunResult = sim.run("a = [1, 2]\nimport gc\ngc.collect()\n");
  const err: ErrorInfo | null = run.error;
  if (err !== null) out.push(`${err.type}: ${err.message} at ${err.line}:${err.col}`);
  out.push(run.stdout, run.stderr, String(run.steps));

  const e: Explanation | null = sim.explain("a");
  if (e) {
    out.push(e.typeName, String(e.getsizeof + e.allocated + e.address + e.refcount));
    for (const part of e.parts) out.push(`${part.bytes} ${part.label} ${part.rule}`);
  }

  const objs: ObjectsView | null = sim.objects(100);
  if (objs) {
    const names: NameRef[] = objs.names;
    const first: ObjectView = objs.objects[0];
    const gc: GcState = objs.gc;
    const gen: number | null = first.generation;
    out.push(names[0].name, String(names[0].id), first.typeName, first.label, String(first.immortal), String(gen));
    out.push(String(first.id + first.address + first.refcount + first.bytes + first.referents.length));
    out.push(String(gc.counts[0] + gc.thresholds[2] + gc.sizes[1] + gc.collections), String(gc.enabled), String(objs.truncated));
  }
  sim.objects();

  const collections: GcEvent[] = sim.collections();
  for (const c of collections) {
    const obj: GcObject | undefined = c.candidates[0];
    const reason: "automatic" | "manual" = c.reason;
    out.push(`${c.line} ${c.generation} ${reason} ${obj?.type} ${obj?.addr} ${obj?.id}`);
    out.push([...c.refsAfterUpdate, ...c.refsAfterSubtract, ...c.reachable, ...c.unreachable].join());
    out.push([...c.finalized, ...c.resurrected, c.freed.length, c.collected, c.uncollectable, ...c.countsAfter].join());
  }

  sim.maxSteps = 1000;
  const m: RunResult = sim.runMalloc("p = malloc(16)\nbig = malloc(1000)\nfree(p)\n");
  const reached: number = sim.seek(1);
  const position: number = sim.position;
  const count: number = sim.stepCount;
  out.push(String(m.steps + reached + position + count));
  const step: StepView | null = sim.step(0);
  if (step) {
    out.push(`${step.index} ${step.line}:${step.col} ${step.stdout}`);
    for (const ev of step.events) out.push(describe(ev));
  }

  const snap: Snapshot = sim.snapshot();
  out.push(snap.profile, snap.python, snap.arch, String(snap.hasPymalloc), snap.note ?? "");
  out.push([snap.arenaSize, snap.poolSize, snap.poolOverhead, snap.alignment, snap.stride, snap.poolsPerArenaSlot].join());
  out.push([...snap.classSizes, ...snap.blocksPerPool, ...snap.usableArenas, snap.mappedBytes, snap.allocatedBlocks, snap.step, snap.steps].join());
  for (const a of snap.arenas as ArenaView[]) {
    out.push([a.slot, a.address, a.firstPool, a.ntotalpools, a.nfreepools, a.carved].join());
    for (const pool of a.pools as PoolView[]) {
      const state: PoolState = pool.state;
      out.push([state, pool.index, pool.address, pool.sizeClass, pool.blockSize, pool.count, pool.capacity].join());
      out.push([pool.nextoffset, pool.maxnextoffset, ...pool.freeList].join());
    }
  }
  for (const c of snap.chunks as ChunkView[]) out.push(`${c.address} ${c.size}`);

  const blocks: Uint8Array = sim.blocks();
  const report: string = sim.report();
  out.push(String(blocks.length), report);
  sim.free();

  // @ts-expect-error run takes a string
  sim.run(42);
  // @ts-expect-error not an option
  new Simulator({ pyton: "3.12" });
  // @ts-expect-error not an arch
  new Simulator({ arch: "arm64" });
  // @ts-expect-error stdout is a string
  const wrong: number = run.stdout;
  // @ts-expect-error a snapshot has no such field
  snap.arenaCount;
  // @ts-expect-error step may be null
  sim.step(0).index;
  return out.concat(String(wrong));
}

/** Narrowing on `kind` gives each event's own fields. */
function describe(ev: AllocEvent): string {
  switch (ev.kind) {
    case "malloc":
      return `malloc ${ev.nbytes} at ${ev.address} ${ev.loc ? `arena ${ev.loc.arena} pool ${ev.loc.pool} block ${ev.loc.block} class ${ev.loc.szidx}` : "(malloc chunk)"}`;
    case "free":
      return `free ${ev.address} ${ev.loc?.block ?? "chunk"}`;
    case "realloc_in_place":
      return `realloc in place ${ev.address} ${ev.nbytes}`;
    case "new_arena":
      return `new arena ${ev.arena} at ${ev.address}, ${ev.ntotalpools} pools`;
    case "release_arena":
      return `release arena ${ev.arena} at ${ev.address}`;
    case "pool_init":
      return `pool ${ev.pool} of arena ${ev.arena} for class ${ev.szidx}${ev.reused ? " (reused)" : ""}`;
  }
}
