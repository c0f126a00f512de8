import { z } from 'zod';
import { cloudStatusSchema } from '../cloud/cloud-status';
import { brokerStatusSchema } from '../ingress/broker-status';
import { outboxStatusSchema } from '../outbox/outbox-status';
import { printJobsStatusSchema } from '../printing/print-jobs';
import { uplinkStatusSchema } from '../uplink/uplink-status';

/**
 * The /status document. Readers such as the CLI parse only what they show, so an older CLI keeps
 * working against a newer edge; the sections added with the ingress are optional for the same reason
 * the other way round.
 */
export const edgeStatusSchema = z.object({
  name: z.string(),
  version: z.string(),
  startedAt: z.string(),
  uptimeS: z.number(),
  dataDir: z.string(),
  cloud: cloudStatusSchema,
  broker: brokerStatusSchema.optional(),
  /** Embedded broker only: where its device logins come from (devices/credential-sync.ts). */
  deviceCredentials: z
    .object({
      source: z.enum(['none', 'disk', 'cloud']),
      credentials: z.number(),
      syncedAt: z.string().nullable(),
      lastError: z.string().nullable(),
    })
    .optional(),
  outbox: outboxStatusSchema.optional(),
  rates: z.object({ receivedPerS: z.number(), sentPerS: z.number() }).optional(),
  ingress: z
    .object({
      receivedTotal: z.number(),
      storedTotal: z.number(),
      deadLetteredTotal: z.number(),
      refusedTotal: z.number(),
      /** Newer than the section: optional so the CLI still reads an older edge's status. */
      resendsRecognisedTotal: z.number().optional(),
      /** Telemetry messages whose every value was within its deadband (deadband/deadband.ts). */
      suppressedTotal: z.number().optional(),
    })
    .optional(),
  /** Telemetry deadbands from the cloud and what they saved (deadband/deadband-sync.ts). */
  deadband: z
    .object({
      source: z.enum(['none', 'disk', 'cloud']),
      syncedAt: z.string().nullable(),
      lastError: z.string().nullable(),
      rules: z.number(),
      samplesReceived: z.number(),
      samplesSuppressed: z.number(),
      messagesSuppressed: z.number(),
      series: z.number(),
      metrics: z.array(z.object({ name: z.string(), received: z.number(), suppressed: z.number() })),
    })
    .optional(),
  /** What Sparkplug B brought and dropped (sparkplug/sparkplug-ingress.ts). */
  sparkplug: z
    .object({
      rules: z.number(),
      /** Where the rules come from: the cloud (sparkplug/sparkplug-sync.ts) or EDGE_SPARKPLUG_MAPPING. */
      mapping: z
        .object({
          source: z.enum(['none', 'disk', 'cloud', 'file']),
          syncedAt: z.string().nullable(),
          lastError: z.string().nullable(),
        })
        .optional(),
      receivedTotal: z.number(),
      eventsTotal: z.number(),
      unmappedMetricsTotal: z.number(),
      malformedTotal: z.number(),
      droppedTotal: z.record(z.string(), z.number()),
      duplicatesTotal: z.number(),
      rebirthRequestsTotal: z.number(),
      presence: z.array(
        z.object({
          group: z.string(),
          node: z.string(),
          device: z.string().nullable(),
          online: z.boolean(),
          machines: z.array(z.string()),
        }),
      ),
    })
    .optional(),
  deadLetters: z
    .object({
      count: z.number(),
      sinceStart: z.number(),
      lastReason: z.string().nullable(),
      lastAt: z.string().nullable(),
      file: z.string(),
    })
    .optional(),
  uplink: uplinkStatusSchema.optional(),
  /** With an API key: the labels this edge printed for the cloud (printing/print-jobs.ts). */
  printJobs: printJobsStatusSchema.optional(),
});
export type EdgeStatus = z.infer<typeof edgeStatusSchema>;
