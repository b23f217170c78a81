// The page's state, in one object every module reads and writes: the
// strings and presets, the dataset loaded, the scenario in force, the
// last run's results, the settings of the panels (which are page settings,
// not scenario knobs) and the pinned scenario A. What a module keeps for
// itself alone (the run in flight, a panel's request counter, the playbook
// editor's draft, the chart instances) stays in that module.

export const state = {
  // interface strings by language (i18n.json), presets (presets.json),
  // the bundled samples (samples.json)
  lang: 'en',
  dict: { en: {}, zh: {} },
  presets: {},
  samples: [],
  // the scenario in force and the core's defaults
  scenario: null,
  defaults: null,
  // the last run's view (null while there is no result)
  view: null,
  // the dataset: its name, the file's bytes, the load options (column
  // roles, encoding, date format, carried columns)
  name: '',
  blob: null,
  options: {},
  // the customer list's page and segment filter
  page: 0,
  pageSize: 50,
  // the customer list's filter: a kind (segment, class, tier, stage,
  // action) and a group name ('' for everyone)
  listKind: 'segment',
  listName: '',
  // timings of each load, for the benchmark
  timings: [],
  // busy settles when the load under way is done
  busy: Promise.resolve(),
  // loaded is the name of the dataset the result is of
  loaded: '',
  // Content-Security-Policy violations seen
  violations: [],
  // the status line's message key
  status: '',
  // the panels' settings and results; *Error is the core's reason when a
  // panel has no result
  planOn: false,
  holdoutShare: 0.25,
  prediction: null,
  predictionError: '',
  plan: null,
  planError: '',
  cohortOn: false,
  kpiOn: false,
  pointsOn: false,
  // the points what-if's knobs: the core's defaults (the default
  // scenario's plan.points) until the panel changes them
  pointsOpts: null,
  points: null,
  pointsError: '',
  migrationOn: false,
  migrationBy: 'class',
  migrationDays: 30,
  migration: null,
  migrationError: '',
  // the campaign readout panel's answer ({readout, plan_load,
  // orders_load}) or error ({code, message})
  readout: null,
  readoutError: null,
  // the actions whose measured rates the playbook took (readout.Change)
  readoutApplied: null,
  // the Migration panel's comparison of a kept snapshot with the current
  // run (session.SnapshotComparison), or why it failed
  snapshotCmp: null,
  // lessons: the built-in ones, those in the picker (built in and
  // loaded), the lesson in progress and its step, the last check
  builtinLessons: [],
  lessons: [],
  lesson: null,
  lessonStep: 0,
  lessonCheck: null,
  lessonRevealed: false,
  lessonError: '',
  snapshotErr: '',
  kpiPeriod: 30,
  kpiTarget: null,
  kpi: null,
  kpiError: '',
  cohorts: null,
  cohortsError: '',
  // needsOrders: the data is per-customer stats, so the panels that need
  // each order's date (cohorts, KPI tree, migration) say so.
  needsOrders: false,
  // runs counts the worker runs; rescored says whether the last one
  // scored the data (false when only the plan changed)
  runs: 0,
  rescored: undefined,
  // the last run's round trip (the scenario sent to the answer parsed),
  // worker and render times in ms; lastMove, from a knob's change to the
  // page drawn (moveAt: when the change not yet drawn was made)
  lastRun: undefined,
  workerRun: undefined,
  lastRender: undefined,
  lastMove: undefined,
  moveAt: 0,
  // reportKey is what the load and cleaning reports were last drawn from
  reportKey: null,
  // gen counts loads: a run answered for an earlier load is not shown.
  gen: 0,
  // hasData: the worker holds a dataset (the last load succeeded).
  hasData: false,
  // the last load's report (also of a load that failed), the workbook it
  // came from ({file, sheet, sheets}), and how many rows it skipped.
  report: null,
  xlsx: null,
  parquet: false, // the file was read from Parquet
  rejects: 0,
  // the error shown: {text} (a message in words) or a load error by code
  error: null,
  // pin is scenario A of the compare panel: {scenario, planOn, dataset,
  // at} (its numbers stay in the core); pinNote says why it was cleared.
  // the bundled sample loaded (a share link names it), or null for a file
  sample: null,
  // playbookBy says who chose the plan's playbook: 'sample' (its industry),
  // 'page' (the select), or null (none, or a scenario that came with one).
  playbookBy: null,
  pin: null,
  pinNote: '',
  // A against the live scenario, as the core compares them: {a, b, delta}
  cmp: null,
};

// clone copies a JSON value (a scenario) deeply.
export const clone = (x) => JSON.parse(JSON.stringify(x));
