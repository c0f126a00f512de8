import { startCloud } from './cloud-app.js';
import { loadCloudEnv } from './env.js';

/** The cloud process: start, print where to go, stop cleanly on SIGINT/SIGTERM. */
async function main() {
  const env = loadCloudEnv();
  const cloud = await startCloud(env);
  const lines = [`Plantline is running: ${cloud.url}`];
  if (cloud.demo !== null) {
    lines.push(`Sign in as ${cloud.demo.email} with password ${cloud.demo.password}`);
    if (cloud.demo.people.length > 0) {
      lines.push('or, with the same password, as one of the demo people (docs/demo.md, "People"):');
      const width = Math.max(...cloud.demo.people.map((p) => p.email.length));
      for (const person of cloud.demo.people) lines.push(`  ${person.email.padEnd(width)}  ${person.part}`);
    }
  }
  process.stdout.write(`\n  ${lines.join('\n  ')}\n\n`);
  process.send?.({ type: 'cloud-ready', url: cloud.url });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    cloud.deps.log.info({ signal }, 'stopping');
    cloud.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        cloud.deps.log.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by the stack launcher (pnpm start): when the launcher dies, stop rather than run orphaned.
  process.on('disconnect', () => stop('disconnect'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Plantline cloud failed to start: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}\n`,
  );
  process.exit(1);
});
