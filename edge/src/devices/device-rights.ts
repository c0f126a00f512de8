import {
  ANSWER_TOPIC_KIND,
  CODE_PATTERN,
  isAnswerTopic,
  isPlantlineTopic,
  TOPIC_ROOT,
} from '@plantline/schema';
import { isHostStateTopic } from '../sparkplug/sparkplug-topics';

/**
 * What a device may publish. `plants: null` is every plant (the local fallback login and anonymous
 * devices, whose events the cloud still confines to the edge key's plants); otherwise the topic must
 * lie under one of the plants and, when set, the line and machine.
 */
export interface DeviceRights {
  plants: readonly string[] | null;
  line: string | null;
  machine: string | null;
}

export const ALL_PLANTS: DeviceRights = { plants: null, line: null, machine: null };

export type PublishDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Topics outside `plantline/` are allowed and ignored by the ingress (nobody can subscribe to them
 * here); `$` topics are the broker's own (MQTT 3.1.1 §4.7.2). Within `plantline/`, a malformed topic
 * inside the device's rights is dead-lettered by the ingress, one outside them is refused.
 */
export function decidePublish(rights: DeviceRights, topic: string): PublishDecision {
  if (topic.startsWith('$')) return { allowed: false, reason: `${topic.split('/')[0]} topics are reserved` };
  // A device posing as the edge could tell another station its scan was packed.
  if (isAnswerTopic(topic)) return { allowed: false, reason: 'answer topics are the edge’s to publish' };
  // A device posing as the edge could tell the Sparkplug nodes their primary host went away.
  if (isHostStateTopic(topic)) return { allowed: false, reason: 'STATE topics are the host application’s' };
  if (!isPlantlineTopic(topic) || rights.plants === null) return { allowed: true };
  const within = rights.plants.some((plant) => {
    let prefix = `${TOPIC_ROOT}/${plant}/`;
    if (rights.line !== null) prefix += `${rights.line}/`;
    if (rights.line !== null && rights.machine !== null) prefix += `${rights.machine}/`;
    return topic.startsWith(prefix);
  });
  return within ? { allowed: true } : { allowed: false, reason: `topic outside the device's rights` };
}

export type SubscribeDecision = PublishDecision;

/**
 * What a device may subscribe to: the answer topics (docs/device-integration.md, "Answers at a
 * station") of devices within its rights, nothing else — devices publish, none reads another's
 * events. `+` stands for any plant, line or machine only where the rights do not fix that level.
 */
export function decideSubscribe(rights: DeviceRights, filter: string): SubscribeDecision {
  const levels = filter.split('/');
  if (levels.length !== 6 || `${levels[0]}/${levels[1]}` !== TOPIC_ROOT || levels[5] !== ANSWER_TOPIC_KIND)
    return { allowed: false, reason: `only answer topics (${TOPIC_ROOT}/{plant}/{line}/{machine}/answer)` };
  const [plant, line, machine] = levels.slice(2, 5) as [string, string, string];
  if (![plant, line, machine].every((code) => code === '+' || CODE_PATTERN.test(code)))
    return { allowed: false, reason: 'plant, line and machine are codes or +' };
  if (rights.plants === null) return { allowed: true };
  const fits = (level: string, fixed: string | null) => fixed === null || level === fixed;
  const within =
    plant !== '+' &&
    rights.plants.includes(plant) &&
    fits(line, rights.line) &&
    fits(machine, rights.line === null ? null : rights.machine);
  return within ? { allowed: true } : { allowed: false, reason: 'answer topic outside the device’s rights' };
}
