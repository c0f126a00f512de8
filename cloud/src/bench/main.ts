import { apiBenchmark } from './api.bench.js';
import { auditBenchmark } from './audit.bench.js';
import { brokerBenchmark } from './broker.bench.js';
import { configBenchmark } from './config.bench.js';
import { dashboardsBenchmark } from './dashboards.bench.js';
import { demoBenchmark } from './demo.bench.js';
import { e2eBenchmark } from './e2e.bench.js';
import { fanoutBenchmark } from './fanout.bench.js';
import { ingestBenchmark } from './ingest.bench.js';
import { kpiBenchmark } from './kpi.bench.js';
import { reportsBenchmark } from './reports.bench.js';
import { scanBenchmark } from './scan.bench.js';
import { searchBenchmark } from './search.bench.js';
import { traceBenchmark } from './trace.bench.js';
import { workflowBenchmark } from './workflow.bench.js';

/*
 * `pnpm bench <name>`: each benchmark prints progress to stderr and its result as one final JSON
 * line on stdout. They use DATABASE_URL when set, else the embedded engine.
 */
const benchmarks: Record<string, () => Promise<Record<string, unknown>>> = {
  api: apiBenchmark,
  ingest: ingestBenchmark,
  e2e: e2eBenchmark,
  fanout: fanoutBenchmark,
  kpi: kpiBenchmark,
  config: configBenchmark,
  search: searchBenchmark,
  audit: auditBenchmark,
  workflow: workflowBenchmark,
  reports: reportsBenchmark,
  scan: scanBenchmark,
  demo: demoBenchmark,
  dashboards: dashboardsBenchmark,
  broker: brokerBenchmark,
  trace: traceBenchmark,
};

const requested = process.argv.slice(2).filter((a) => a !== '--');
const names = requested.length > 0 ? requested : Object.keys(benchmarks);
for (const name of names) {
  const run = benchmarks[name];
  if (run === undefined) {
    process.stderr.write(`Unknown benchmark "${name}". Available: ${Object.keys(benchmarks).join(', ')}\n`);
    process.exit(2);
  }
  const result = await run();
  process.stdout.write(`${JSON.stringify({ benchmark: name, ...result })}\n`);
}
process.exit(0);
